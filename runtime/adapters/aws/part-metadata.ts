// A task's stats travel with its own part as S3 user metadata, so a run's totals
// are a sum over HeadObject answers and cost no extra PUT. S3 allows 2 KB of user
// metadata per object: the counters always fit; the per-field fill and type
// counts are dropped (and the part marked) when a collector has very many fields.
import type { TaskStats } from '../../core/engine/stats.ts';

export const STATS_KEY = 'collect-stats';
/** Room left under S3's 2 KB for the key names and anything S3 adds. */
const MAX_VALUE_BYTES = 1900;

export interface PartMeta {
  stats: TaskStats;
  /** When the task started (epoch ms). */
  startedAt: number;
  /** Spec hash of the collector version that wrote the part. */
  specHash: string;
  /** True when per-field counts did not fit and were left out. */
  truncated: boolean;
}

interface Wire {
  v: 1;
  p: number;
  r: number;
  f: number;
  t: number;
  b: number;
  d: number;
  s: number;
  h: string;
  fl?: Record<string, number>;
  te?: Record<string, number>;
  dr?: TaskStats['dropped'];
  x?: 1;
}

/** S3 metadata values travel as HTTP headers: ASCII only, so anything else is \u-escaped. */
function asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export function encodePartMeta(meta: Omit<PartMeta, 'truncated'>): Record<string, string> {
  const { stats } = meta;
  const wire: Wire = {
    v: 1,
    p: stats.pages,
    r: stats.records,
    f: stats.failures,
    t: stats.retries,
    b: stats.bytes,
    d: stats.durationMs,
    s: meta.startedAt,
    h: meta.specHash.slice(0, 16),
    ...(stats.dropped ? { dr: stats.dropped } : {}),
  };
  let text = asciiJson({ ...wire, fl: stats.filled, ...(stats.typeErrors ? { te: stats.typeErrors } : {}) });
  if (text.length > MAX_VALUE_BYTES) text = asciiJson({ ...wire, x: 1 });
  return { [STATS_KEY]: text };
}

class PartMetaError extends Error {
  override readonly name = 'PartMetaError';
}

/** Reads the stats of a part; undefined for an object that has none (not written by this runtime). */
export function decodePartMeta(metadata: Record<string, string> | undefined): PartMeta | undefined {
  const text = metadata?.[STATS_KEY];
  if (text === undefined) return undefined;
  let wire: Wire;
  try {
    wire = JSON.parse(text) as Wire;
  } catch {
    throw new PartMetaError(`metadata ${STATS_KEY} is not JSON: ${text.slice(0, 80)}`);
  }
  if (wire.v !== 1) throw new PartMetaError(`metadata ${STATS_KEY} has unknown version ${String(wire.v)}`);
  const stats: TaskStats = {
    pages: wire.p,
    records: wire.r,
    failures: wire.f,
    retries: wire.t,
    bytes: wire.b,
    durationMs: wire.d,
    filled: wire.fl ?? {},
  };
  if (wire.te) stats.typeErrors = wire.te;
  if (wire.dr) stats.dropped = wire.dr;
  return { stats, startedAt: wire.s, specHash: wire.h, truncated: wire.x === 1 };
}
