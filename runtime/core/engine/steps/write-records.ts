// Step 6: records that passed the filters go into the task's part, and the
// stats count what was filled, what had the wrong type and the cursor's high mark.
import type { DataRecord } from '../../extract/types.ts';
import { countTypeErrors } from '../expectations.ts';
import { compareCursor } from '../incremental.ts';
import type { PartWriter } from '../ports.ts';
import { countDropped, countFilled } from '../stats.ts';
import type { TaskContext } from '../task-context.ts';
import type { RecordFilter } from './record-filters.ts';

export class RecordWriter {
  /** The highest incremental cursor value written, raised in the state store after the commit. */
  highMark: string | null = null;

  constructor(
    private readonly ctx: TaskContext,
    readonly part: PartWriter,
    private readonly filters: readonly RecordFilter[],
  ) {}

  /** Returns how many records were written; `url` is the page they came from. */
  write(records: readonly DataRecord[], url: string): number {
    const { stats, compiled } = this.ctx;
    const cursorField = compiled.spec.records.incremental?.cursorField;
    let written = 0;
    for (const found of records) {
      // A record is the site's data: a secret it echoed (in a URL the record took from the run, say) is taken out.
      const record = this.ctx.ports.secrets.scrubValue(found);
      const dropped = this.reasonToDrop(record);
      if (dropped) {
        countDropped(stats, dropped);
        continue;
      }
      try {
        this.part.write(record);
      } catch (err) {
        // A record that cannot be serialised fails on its own; the page's other records are written.
        this.ctx.fail(url, err);
        continue;
      }
      if (cursorField) this.highMark = higher(this.highMark, record[cursorField]);
      countFilled(stats, record);
      countTypeErrors(stats, record, compiled.spec.expect?.types);
      written++;
    }
    stats.records += written;
    return written;
  }

  private reasonToDrop(record: DataRecord) {
    for (const filter of this.filters) {
      const reason = filter.check(record);
      if (reason) return reason;
    }
    return undefined;
  }
}

function higher(mark: string | null, value: unknown): string | null {
  if (value === null || value === undefined) return mark;
  const v = String(value);
  return mark === null || compareCursor(v, mark) > 0 ? v : mark;
}
