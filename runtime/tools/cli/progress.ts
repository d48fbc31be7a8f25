// Progress of a long command. On a terminal one live line is redrawn in place;
// elsewhere (CI logs, files) a plain line is written every few seconds, so a
// log shows the run is alive without a line per page.
import type { Writable } from 'node:stream';
import { formatDuration } from './format.ts';

export interface ProgressCounts {
  pages: number;
  records: number;
  failures: number;
}

export interface ProgressReporter {
  update(counts: ProgressCounts): void;
  /** The counts last given, with the time since the start. */
  snapshot(): ProgressCounts & { elapsedMs: number };
  /** Stops the timer and clears the live line; call before the summary. */
  stop(): void;
}

export interface ProgressOptions {
  label: string;
  /** True for a terminal: a line redrawn in place; false: a new line every `everyMs`. */
  tty: boolean;
  /** Interval of the plain lines. Default 5 s. */
  everyMs?: number;
  /** Interval of the redraws on a terminal. Default 250 ms. */
  redrawMs?: number;
  now?: () => number;
  /** Runs `tick` every `ms`; returns a cancel function. Default: an unref'd setInterval. */
  every?: (tick: () => void, ms: number) => () => void;
}

export function progressLine(label: string, s: ProgressCounts & { elapsedMs: number }): string {
  const rate = s.elapsedMs > 0 ? (s.pages * 1000) / s.elapsedMs : 0;
  return `${label}: ${s.pages} pages, ${s.records} records, ${rate.toFixed(1)} pages/s, ${s.failures} failures, ${formatDuration(s.elapsedMs)}`;
}

const interval = (tick: () => void, ms: number): (() => void) => {
  const timer = setInterval(tick, ms);
  timer.unref();
  return () => clearInterval(timer);
};

export function createProgress(out: Writable, options: ProgressOptions): ProgressReporter {
  const now = options.now ?? Date.now;
  const started = now();
  let counts: ProgressCounts = { pages: 0, records: 0, failures: 0 };
  let drawn = false;
  const snapshot = () => ({ ...counts, elapsedMs: now() - started });
  const tick = () => {
    const line = progressLine(options.label, snapshot());
    if (options.tty) {
      out.write(`\r\x1b[2K${line}`);
      drawn = true;
    } else out.write(`${line}\n`);
  };
  const cancel = (options.every ?? interval)(tick, options.tty ? (options.redrawMs ?? 250) : (options.everyMs ?? 5_000));
  return {
    update(next) {
      counts = { ...next };
    },
    snapshot,
    stop() {
      cancel();
      if (drawn) out.write('\r\x1b[2K');
      drawn = false;
    },
  };
}
