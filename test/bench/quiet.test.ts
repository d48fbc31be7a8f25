import { describe, expect, it } from 'vitest';
import { busyCores, cpuTimes } from '../../bench/quiet.ts';

describe('the quiet gate', () => {
  it('reads busy and total time from /proc/stat, idle and iowait not busy', () => {
    const t = cpuTimes('cpu  100 5 50 800 40 3 2 0 0 0\ncpu0 1 2 3 4 5 6 7 8 0 0\n');
    expect(t).toEqual({ busy: 160, total: 1000 });
  });

  it('turns two readings into busy cores', () => {
    expect(busyCores({ busy: 100, total: 1000 }, { busy: 150, total: 1100 }, 2)).toBe(1);
    expect(busyCores({ busy: 100, total: 1000 }, { busy: 100, total: 1000 }, 2)).toBe(0);
  });
});
