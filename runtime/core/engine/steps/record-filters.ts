// Step 5: the filters a record passes before it is written, in order; each
// says why it drops one, and the stats count every drop by reason.
import type { DataRecord } from '../../extract/types.ts';
import { compareCursor } from '../incremental.ts';
import type { DropReason } from '../stats.ts';
import type { TaskContext } from '../task-context.ts';

export interface RecordFilter {
  /** The reason a record is dropped, or undefined to keep it. */
  check(record: DataRecord): DropReason | undefined;
}

/** Incremental: records at or below the last run's high-water mark are old. */
export class IncrementalFilter implements RecordFilter {
  constructor(
    readonly cursorField: string,
    readonly baseline: string | null,
    private readonly stopWhenSeen: boolean,
  ) {}

  check(record: DataRecord): DropReason | undefined {
    return this.isOld(record) ? 'old' : undefined;
  }

  /** True when paging should stop: the page holds a record an earlier run collected. */
  stopPaging(records: readonly DataRecord[]): boolean {
    return this.stopWhenSeen && records.some((r) => this.isOld(r));
  }

  private isOld(record: DataRecord): boolean {
    const value = record[this.cursorField];
    return this.baseline !== null && value !== null && value !== undefined && compareCursor(String(value), this.baseline) <= 0;
  }
}

/** A record with none of its key fields set has no identity: it is never a duplicate (as NULLs in SQL). */
function dedupeKeyOf(record: Readonly<Record<string, unknown>>, fields: readonly string[]): string | undefined {
  const parts = fields.map((k) => record[k] ?? null);
  return parts.every((p) => p === null || p === '') ? undefined : JSON.stringify(parts);
}

/** The filters of a task, in the order they apply: incremental, dedupe, the record budget. */
export async function recordFilters(ctx: TaskContext): Promise<{ filters: RecordFilter[]; incremental?: IncrementalFilter }> {
  const filters: RecordFilter[] = [];
  const records = ctx.compiled.spec.records;
  let incremental: IncrementalFilter | undefined;
  if (records.incremental && ctx.ports.incremental) {
    incremental = new IncrementalFilter(
      records.incremental.cursorField,
      await ctx.ports.incremental.baseline(),
      records.incremental.stopWhenSeen,
    );
    filters.push(incremental);
  }
  const keyFields = records.dedupeKey;
  const seen = ctx.ports.seen;
  if (keyFields && seen) {
    filters.push({
      check(record) {
        const key = dedupeKeyOf(record, keyFields);
        return key !== undefined && !seen.add(key) ? 'duplicate' : undefined;
      },
    });
  }
  const budget = ctx.ports.budget;
  if (budget) {
    filters.push({
      check() {
        if (budget.remaining <= 0) return 'limit';
        budget.remaining--;
        return undefined;
      },
    });
  }
  return incremental ? { filters, incremental } : { filters };
}
