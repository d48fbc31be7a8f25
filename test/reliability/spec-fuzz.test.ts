// The validator under hostile and broken input at scale: thousands of seeded
// mutations of the real collectors (bounded in time), and documents built to
// exhaust a parser, each refused quickly with a positioned error.
// Scenarios in spec-fuzz.ts (figures.ts runs them too).
import { beforeAll, describe, expect, it } from 'vitest';
import { HOSTILE, runHostileInputs, runSpecFuzz, type HostileResult } from './spec-fuzz.ts';

describe('collector validator: fuzzing at scale', () => {
  it('never throws, positions every diagnostic, and loads what has no error (5,000 seeded mutations or 10 s)', () => {
    const report = runSpecFuzz({ seed: 20261126, maxCases: 5000, maxMs: 10_000 });
    expect(report.examples).toEqual([]);
    expect(report.crashes).toBe(0);
    expect(report.unpositioned).toBe(0);
    expect(report.unloaded).toBe(0);
    // Time-bounded: a slow machine runs fewer cases, but never too few to mean something.
    expect(report.cases).toBeGreaterThanOrEqual(1000);
    // The mutations break most texts and leave some loadable: both paths are exercised.
    expect(report.withErrors).toBeGreaterThan(report.cases / 2);
    expect(report.withErrors).toBeLessThan(report.cases);
  }, 30_000);

  it('replays: the same seed gives the same cases', () => {
    const a = runSpecFuzz({ seed: 42, maxCases: 200, maxMs: 60_000 });
    const b = runSpecFuzz({ seed: 42, maxCases: 200, maxMs: 60_000 });
    expect([a.cases, a.withErrors, a.diagnostics]).toEqual([b.cases, b.withErrors, b.diagnostics]);
  });
});

describe('collector validator: hostile documents', () => {
  let results: HostileResult[];
  beforeAll(() => {
    results = runHostileInputs(200);
  });
  it.each(HOSTILE.map((h) => h.name))('refuses %s within 200 ms, with a positioned error', (name) => {
    const r = results.find((x) => x.name === name)!;
    expect(r.problems).toEqual([]);
  });
});
