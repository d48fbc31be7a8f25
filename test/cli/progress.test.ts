import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createProgress, progressLine } from '../../runtime/tools/cli/progress.ts';

function capture() {
  const out = new PassThrough();
  let text = '';
  out.on('data', (c: Buffer) => (text += c.toString()));
  return { out, text: () => text };
}

/** A clock and a timer the test moves by hand. */
function manualTime() {
  let now = 0;
  let tick: (() => void) | undefined;
  let interval = 0;
  return {
    now: () => now,
    every: (fn: () => void, ms: number) => {
      tick = fn;
      interval = ms;
      return () => (tick = undefined);
    },
    advance(ms: number) {
      now += ms;
      tick?.();
    },
    interval: () => interval,
    running: () => tick !== undefined,
  };
}

describe('progress', () => {
  it('reads pages, records, rate, failures and elapsed time', () => {
    expect(progressLine('books', { pages: 120, records: 2400, failures: 2, elapsedMs: 60_000 })).toBe(
      'books: 120 pages, 2400 records, 2.0 pages/s, 2 failures, 60.00 s',
    );
  });

  it('writes a plain line every 5 s when the output is not a terminal', () => {
    const { out, text } = capture();
    const time = manualTime();
    const p = createProgress(out, { label: 'books', tty: false, now: time.now, every: time.every });
    expect(time.interval()).toBe(5_000);
    p.update({ pages: 10, records: 200, failures: 0 });
    time.advance(5_000);
    p.update({ pages: 30, records: 600, failures: 1 });
    time.advance(5_000);
    p.stop();
    expect(text()).toBe(
      'books: 10 pages, 200 records, 2.0 pages/s, 0 failures, 5.00 s\nbooks: 30 pages, 600 records, 3.0 pages/s, 1 failures, 10.00 s\n',
    );
    expect(time.running()).toBe(false);
  });

  it('redraws one line in place on a terminal and clears it at the end', () => {
    const { out, text } = capture();
    const time = manualTime();
    const p = createProgress(out, { label: 'books', tty: true, now: time.now, every: time.every });
    expect(time.interval()).toBe(250);
    p.update({ pages: 1, records: 20, failures: 0 });
    time.advance(250);
    p.stop();
    expect(text()).toBe('\r\x1b[2Kbooks: 1 pages, 20 records, 4.0 pages/s, 0 failures, 250 ms\r\x1b[2K');
  });
});
