// A local run killed at deterministic points (its N-th write under --out:
// before it, after it, or half-way through it) and taken up the way a user
// would ends with exactly the records of an uninterrupted run: during planning
// (a range of start URLs) and during tasks (parts, journal lines, manifest).
// Scenario in crash-points.ts; `npm run reliability` tries every kill point.
import { beforeAll, describe, expect, it } from 'vitest';
import { runCrashPoints, type CrashPointsReport } from './crash-points.ts';

let report: CrashPointsReport;
beforeAll(async () => {
  report = await runCrashPoints({ seeds: 5_000, books: 40, planning: 6, tasks: 12, seed: 20261130, parallel: 2 });
}, 600_000);

describe('kills at chosen writes', () => {
  it('counts the uninterrupted runs: planning writes, task writes, records', () => {
    const plan = report.collectors.find((c) => c.collector === 'plan')!;
    const crawl = report.collectors.find((c) => c.collector === 'crawl')!;
    expect(plan.records).toBe(60);
    expect(crawl.records).toBe(40);
    for (const c of report.collectors) {
      expect(c.planningWrites).toBeGreaterThan(0);
      expect(c.writes).toBeGreaterThan(c.planningWrites);
      expect(c.tried).toBeGreaterThan(0);
    }
  });

  it.each(['planning', 'tasks'] as const)('resumes exactly after every kill during %s', (phase) => {
    const points = report.points.filter((p) => p.phase === phase);
    expect(points.length).toBeGreaterThan(0);
    expect(points.some((p) => p.killed)).toBe(true);
    const broken = points
      .filter((p) => p.problems.length > 0)
      .map((p) => `${p.collector} write ${p.write} ${p.mode} (${p.what}): ${p.problems.join('; ')}`);
    expect(broken).toEqual([]);
  });

  it('kills half-way through writes too (a torn line), and leaves nothing lost, doubled or half-written', () => {
    expect(report.points.some((p) => p.killed && p.mode === 'torn')).toBe(true);
    expect(report.points.every((p) => p.lost.length === 0 && p.duplicated.length === 0 && p.leftovers.length === 0)).toBe(true);
  });
});
