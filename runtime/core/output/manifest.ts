// The run manifest (`_manifest.json`): what ran, with which spec, and what came of it.
import type { ExpectationReport } from '../engine/expectations.ts';
import type { DropReason, TaskStats } from '../engine/stats.ts';

export interface Manifest {
  collector: string;
  runId: string;
  specHash: string;
  /** `stalled`: written when a run on AWS stopped making progress; its final manifest replaces it if it ends. */
  status: 'succeeded' | 'failed' | 'incomplete' | 'stalled';
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  tasks: number;
  pages: number;
  records: number;
  failures: number;
  retries: number;
  bytes: number;
  /** Of `pages`, those answered from a response the run already had (fetch once); absent when none. */
  pagesReused?: number;
  /** Records extracted but not written, by reason (duplicate, old, limit). */
  dropped: Partial<Record<DropReason, number>>;
  fillRates: Record<string, number>;
  expectations: { ok: boolean; problems: string[] };
  warnings: string[];
  parts: string[];
}

export interface ManifestInput {
  collector: string;
  runId: string;
  specHash: string;
  startedAt: Date;
  finishedAt: Date;
  stats: TaskStats;
  tasks: number;
  parts: string[];
  expectations: ExpectationReport;
  warnings: string[];
  complete: boolean;
}

export function buildManifest(input: ManifestInput): Manifest {
  const { stats } = input;
  const failed = !input.expectations.ok || stats.failures > 0;
  return {
    collector: input.collector,
    runId: input.runId,
    specHash: input.specHash,
    status: !input.complete ? 'incomplete' : failed ? 'failed' : 'succeeded',
    startedAt: input.startedAt.toISOString(),
    finishedAt: input.finishedAt.toISOString(),
    durationMs: input.finishedAt.getTime() - input.startedAt.getTime(),
    tasks: input.tasks,
    pages: stats.pages,
    records: stats.records,
    failures: stats.failures,
    retries: stats.retries,
    bytes: stats.bytes,
    ...(stats.pagesReused ? { pagesReused: stats.pagesReused } : {}),
    dropped: { ...stats.dropped },
    fillRates: input.expectations.fillRates,
    expectations: { ok: input.expectations.ok, problems: input.expectations.problems },
    warnings: input.warnings.slice(0, 100),
    parts: input.parts,
  };
}
