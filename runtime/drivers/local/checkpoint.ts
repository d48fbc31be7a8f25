// The local run's journal, appended one line at a time, so a run killed at any
// moment resumes with `--resume` to exactly the records of an uninterrupted run:
//   {"t":"add", "task": …}       a seed, written while planning
//   {"t":"planned", "seeds": N}  planning finished: without it, the plan is made again
//   {"t":"done", "id", …, "followUps": [...]}  a task committed, with the tasks it leads to
// A task's follow-ups are recorded in the same line as its completion (the
// outbox): they are queued only once that line exists, so a task redone after
// a crash can never leave a second, different chain behind. A line counts only
// once its newline is written: a torn last line (the process died mid-write)
// is cut off before the journal is appended to again.
import { appendFileSync, existsSync, mkdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { FailureReport, TaskStats } from '../../core/engine/stats.ts';
import type { Task } from '../../core/engine/task.ts';

const CHECKPOINT_FILE = '_checkpoint.jsonl';

export interface DoneLine {
  t: 'done';
  id: string;
  stats: TaskStats;
  failures: FailureReport[];
  warnings: string[];
  part: string;
  followUps: Task[];
  /** Short hashes of the dedupe keys the task wrote, so a resumed run drops the same duplicates. */
  keys?: string[];
  /** The highest incremental cursor the task wrote: a resumed run raises the state's mark to it again. */
  highMark?: string;
}

type Line = { t: 'add'; task: Task } | { t: 'planned'; seeds: number } | DoneLine;

export interface Journal {
  /** False when the run was stopped before its seeds were all written: plan again. */
  planned: boolean;
  pending: Task[];
  done: Map<string, DoneLine>;
}

/** Seeds are written in slices, so a huge plan never builds one giant string. */
const SEEDS_PER_WRITE = 1000;

export class Checkpoint {
  constructor(readonly path: string) {
    mkdirSync(dirname(path), { recursive: true });
  }

  static inDir(dir: string): Checkpoint {
    return new Checkpoint(join(dir, CHECKPOINT_FILE));
  }

  /** Starts the journal with the run's seeds; the last line marks the plan complete. */
  plan(seeds: readonly Task[]): void {
    writeFileSync(this.path, '');
    for (let i = 0; i < seeds.length; i += SEEDS_PER_WRITE) {
      appendFileSync(
        this.path,
        `${seeds
          .slice(i, i + SEEDS_PER_WRITE)
          .map((task) => JSON.stringify({ t: 'add', task } satisfies Line))
          .join('\n')}\n`,
      );
    }
    appendFileSync(this.path, `${JSON.stringify({ t: 'planned', seeds: seeds.length } satisfies Line)}\n`);
  }

  finished(line: Omit<DoneLine, 't'>): void {
    appendFileSync(this.path, `${JSON.stringify({ t: 'done', ...line } satisfies Line)}\n`);
  }

  /**
   * Replays the journal. A torn last line (the process died mid-write) is
   * ignored and cut off, so that the next line appended starts a line of its own.
   */
  read(): Journal {
    const known = new Map<string, Task>();
    const done = new Map<string, DoneLine>();
    let planned = false;
    if (!existsSync(this.path)) return { planned, pending: [], done };
    const content = readFileSync(this.path);
    const end = content.lastIndexOf(0x0a) + 1;
    if (end < content.length) truncateSync(this.path, end);
    for (const text of content.subarray(0, end).toString('utf8').split('\n')) {
      if (!text) continue;
      let line: Line;
      try {
        line = JSON.parse(text) as Line;
      } catch {
        continue;
      }
      if (line.t === 'add') known.set(line.task.id, line.task);
      else if (line.t === 'planned') planned = true;
      else {
        done.set(line.id, line);
        for (const t of line.followUps) if (!known.has(t.id)) known.set(t.id, t);
      }
    }
    return { planned, pending: [...known.values()].filter((t) => !done.has(t.id)), done };
  }
}
