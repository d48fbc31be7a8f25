// The local run's journal: which tasks were queued and which are done, appended
// one line at a time, so a run killed at any point resumes with `--resume`
// and ends with exactly the records of an uninterrupted run.
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Task } from '../../core/engine/task.ts';
import type { FailureReport, TaskStats } from '../../core/engine/stats.ts';

export const CHECKPOINT_FILE = '_checkpoint.jsonl';

type Line =
  | { t: 'add'; task: Task }
  | { t: 'done'; id: string; stats: TaskStats; failures: FailureReport[]; warnings: string[]; part: string };

export interface Journal {
  pending: Task[];
  done: Map<string, Extract<Line, { t: 'done' }>>;
}

export class Checkpoint {
  constructor(readonly path: string) {
    mkdirSync(dirname(path), { recursive: true });
  }

  static inDir(dir: string): Checkpoint {
    return new Checkpoint(join(dir, CHECKPOINT_FILE));
  }

  added(tasks: Task[]): void {
    if (tasks.length) appendFileSync(this.path, tasks.map((task) => JSON.stringify({ t: 'add', task } satisfies Line)).join('\n') + '\n');
  }

  finished(id: string, stats: TaskStats, failures: FailureReport[], warnings: string[], part: string): void {
    appendFileSync(this.path, JSON.stringify({ t: 'done', id, stats, failures, warnings, part } satisfies Line) + '\n');
  }

  /** Replays the journal; a torn last line (the process died mid-write) is ignored. */
  read(): Journal {
    const added = new Map<string, Task>();
    const done = new Map<string, Extract<Line, { t: 'done' }>>();
    if (!existsSync(this.path)) return { pending: [], done };
    for (const text of readFileSync(this.path, 'utf8').split('\n')) {
      if (!text) continue;
      let line: Line;
      try {
        line = JSON.parse(text) as Line;
      } catch {
        continue;
      }
      if (line.t === 'add') added.set(line.task.id, line.task);
      else done.set(line.id, line);
    }
    return { pending: [...added.values()].filter((t) => !done.has(t.id)), done };
  }

  reset(): void {
    writeFileSync(this.path, '');
  }
}
