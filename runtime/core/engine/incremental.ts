// Incremental collection: the highest cursor value of earlier runs is the
// baseline; records at or below it are old. The stored entry remembers which run
// raised it last, so the tasks of one run all compare against the same baseline
// even while they raise the mark concurrently (compare-and-swap on the store).
// That baseline is also what `records.incremental.param` sends to the site
// (incremental-param.ts), so it is read once per state object, not per page.
import type { StateStore } from './ports.ts';

interface Mark {
  cursor: string;
  runId: string;
  /** The mark before `runId` raised it: the baseline for that run. */
  previous: string | null;
}

export function compareCursor(a: string, b: string): number {
  const na = Number(a);
  const nb = Number(b);
  if (a.trim() !== '' && b.trim() !== '' && Number.isFinite(na) && Number.isFinite(nb)) return na - nb;
  return a < b ? -1 : a > b ? 1 : 0;
}

export class IncrementalState {
  private read: Promise<string | null> | undefined;

  constructor(
    private readonly store: StateStore,
    private readonly key: string,
    private readonly runId: string,
  ) {}

  /**
   * The cursor below which records are old, for this run. It does not change while the run raises
   * the mark (the entry keeps it as `previous`), so the first answer is kept; a failed read is not.
   */
  baseline(): Promise<string | null> {
    this.read ??= this.readBaseline().catch((err: unknown) => {
      this.read = undefined;
      throw err;
    });
    return this.read;
  }

  private async readBaseline(): Promise<string | null> {
    const entry = await this.store.get(this.key);
    if (!entry) return null;
    const mark = JSON.parse(entry.value) as Mark;
    return mark.runId === this.runId ? mark.previous : mark.cursor;
  }

  /** Raises the mark to `cursor` if higher; retries on a concurrent write. */
  async raise(cursor: string): Promise<void> {
    for (let attempt = 0; attempt < 20; attempt++) {
      const entry = await this.store.get(this.key);
      const mark = entry ? (JSON.parse(entry.value) as Mark) : null;
      const baseline = mark ? (mark.runId === this.runId ? mark.previous : mark.cursor) : null;
      if (mark && compareCursor(cursor, mark.cursor) <= 0 && mark.runId === this.runId) return;
      if (mark && mark.runId !== this.runId && compareCursor(cursor, mark.cursor) <= 0) return;
      const next: Mark = { cursor, runId: this.runId, previous: baseline };
      if (await this.store.put(this.key, JSON.stringify(next), entry?.version)) return;
    }
    throw new Error(`state ${this.key}: too many concurrent writers`);
  }
}
