// Building one record (or nested object) from compiled field readers: defaults, required
// fields, and the reason a record was dropped.

import type { CheerioAPI } from 'cheerio/slim';
import type { FieldSpec } from './field-spec.ts';
import type { DataRecord, ExtractContext, ParsedPage, RecordValue } from './types.ts';

/** Per-page state shared by the readers; reused across items to avoid allocations. */
export interface Env {
  page: ParsedPage;
  /** The page's cheerio API (HTML pages only). */
  $: CheerioAPI | undefined;
  ctx: ExtractContext;
  /** Base for `type: url`, computed on first use. */
  base: () => string;
  /** Why the last read gave no value; written only for required fields, to keep misses cheap. */
  problem: string | undefined;
  /** The innermost required field that made an object fail, reported if the record fails. */
  failure: { field: string; message: string } | undefined;
  /** Something read with trouble that leaves the field empty (embedded JSON that is not JSON); kept once per page. */
  warn(message: string): void;
}

export interface FieldReader<S> {
  spec: FieldSpec;
  read(scope: S, env: Env): RecordValue;
}

function isMissing(v: RecordValue): boolean {
  return v === null || v === '' || (Array.isArray(v) && v.length === 0);
}

/** The object, or null when a required field has no value (`env.failure` then says which). */
export function buildObject<S>(readers: readonly FieldReader<S>[], scope: S, env: Env): DataRecord | null {
  const out: DataRecord = {};
  for (const reader of readers) {
    const spec = reader.spec;
    env.problem = undefined;
    env.failure = undefined;
    let value = reader.read(scope, env);
    if (spec.fallback !== undefined && isMissing(value)) value = spec.fallback;
    if (spec.required && isMissing(value)) {
      env.failure ??= { field: spec.path, message: env.problem ?? 'no value' };
      return null;
    }
    out[spec.name] = value;
  }
  return out;
}
