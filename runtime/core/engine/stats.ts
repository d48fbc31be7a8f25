// Counters of a task and of a run. A task's stats travel with its own output
// object (S3 metadata), so a run's totals are a sum with no extra writes.

export interface TaskStats {
  pages: number;
  records: number;
  /** Pages that failed for good, and records dropped for a broken required field. */
  failures: number;
  retries: number;
  bytes: number;
  durationMs: number;
  /** Per field: records in which it is present and not empty. */
  filled: Record<string, number>;
  /** Per field: records whose value has the wrong type for `expect.types`. */
  typeErrors?: Record<string, number>;
  /** Records extracted but not written, by reason: a run that drops half its records must say so. */
  dropped?: Partial<Record<DropReason, number>>;
  /** Of `pages`, those answered from a response the run already had (core/fetch/fetch-once.ts): not requested again. */
  pagesReused?: number;
}

/**
 * Why a record was left out: a `records.dedupeKey` seen before in the run, an
 * incremental cursor at or below the last run's mark, or the CLI's `--limit`.
 */
export type DropReason = 'duplicate' | 'old' | 'limit';

export function countDropped(stats: TaskStats, reason: DropReason, n = 1): void {
  stats.dropped ??= {};
  stats.dropped[reason] = (stats.dropped[reason] ?? 0) + n;
}

export function emptyStats(): TaskStats {
  return { pages: 0, records: 0, failures: 0, retries: 0, bytes: 0, durationMs: 0, filled: {} };
}

export function addStats(into: TaskStats, from: TaskStats): TaskStats {
  into.pages += from.pages;
  into.records += from.records;
  into.failures += from.failures;
  into.retries += from.retries;
  into.bytes += from.bytes;
  into.durationMs += from.durationMs;
  for (const [k, v] of Object.entries(from.filled)) into.filled[k] = (into.filled[k] ?? 0) + v;
  for (const [k, v] of Object.entries(from.typeErrors ?? {})) {
    into.typeErrors ??= {};
    into.typeErrors[k] = (into.typeErrors[k] ?? 0) + v;
  }
  for (const [k, v] of Object.entries(from.dropped ?? {}) as [DropReason, number][]) countDropped(into, k, v);
  if (from.pagesReused) countReused(into, from.pagesReused);
  return into;
}

export function countReused(stats: TaskStats, n = 1): void {
  stats.pagesReused = (stats.pagesReused ?? 0) + n;
}

export function isFilled(value: unknown): boolean {
  if (value === null || value === undefined || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  return true;
}

export function countFilled(stats: TaskStats, record: Record<string, unknown>): void {
  for (const [k, v] of Object.entries(record)) if (isFilled(v)) stats.filled[k] = (stats.filled[k] ?? 0) + 1;
}

/** A permanent failure, kept in the run's error report. */
export interface FailureReport {
  taskId: string;
  url: string;
  error: string;
  message: string;
  status?: number;
  field?: string;
  at: string;
}
