// A local run killed with SIGKILL at random points and started again with
// --resume ends with exactly the records of an uninterrupted run, none twice.
import { describe, expect, it } from 'vitest';
import { runCrashResume } from './crash.ts';

describe('crash and --resume', () => {
  it('ends with exactly the records of an uninterrupted run after SIGKILLs at random points', async () => {
    const report = await runCrashResume({ seed: 20261125, kills: 3 });
    const story = `seed=${report.seed} kills at ${report.crashPoints.join(', ')} ms, exit ${report.code}, ${report.records}/${report.expected} records`;
    expect(report.code, story).toBe(0);
    expect(report.kills, story).toBeGreaterThan(0);
    expect(report.expected).toBe(120);
    expect(report.lost, story).toEqual([]);
    expect(report.duplicates, story).toEqual([]);
    expect(report.records, story).toBe(report.expected);
    expect(report.leftovers, story).toEqual([]);
  });
});
