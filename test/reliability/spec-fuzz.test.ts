// The validator under hostile and broken input at scale: a fixed number of
// seeded mutations of the real collectors (the same cases on any machine;
// `npm run reliability` runs thousands more), and documents built to exhaust a
// parser, each refused by its limit, at the stage meant for it, with a
// positioned error. Nothing here reads a clock: the cost of a load is bounded
// by counting the YAML work it does (test/helpers/yaml-work.ts).
// Scenarios in spec-fuzz.ts (figures.ts runs them too).
import { beforeAll, describe, expect, it } from 'vitest';
import { FUZZ_SEED, HOSTILE, runHostileInputs, runSpecFuzz, type HostileResult } from './spec-fuzz.ts';

/** About 4 s on an idle 2-core machine; `npm run reliability` runs 20,000. */
const CASES = 500;

describe('collector validator: fuzzing at scale', () => {
  it(`never throws, positions every diagnostic, loads what has no error, within its work budget (${CASES} mutations, seed ${FUZZ_SEED})`, () => {
    const report = runSpecFuzz({ seed: FUZZ_SEED, cases: CASES });
    expect(report.examples).toEqual([]);
    expect(report.cases).toBe(CASES);
    expect(report.crashes).toBe(0);
    expect(report.unpositioned).toBe(0);
    expect(report.unloaded).toBe(0);
    expect(report.overBudget).toBe(0);
    // The mutations break most texts and leave some loadable: both paths are exercised.
    expect(report.withErrors).toBeGreaterThan(report.cases / 2);
    expect(report.withErrors).toBeLessThan(report.cases);
  });

  it('replays: the same seed gives the same cases', () => {
    const a = runSpecFuzz({ seed: 42, cases: 100 });
    const b = runSpecFuzz({ seed: 42, cases: 100 });
    expect([a.cases, a.withErrors, a.diagnostics, a.tokens]).toEqual([b.cases, b.withErrors, b.diagnostics, b.tokens]);
  });
});

describe('collector validator: hostile documents', () => {
  let results: HostileResult[];
  beforeAll(() => {
    results = runHostileInputs();
  });
  it.each(HOSTILE.map((h) => [h.name, h.at] as const))(
    'refuses %s (at the %s stage), with a positioned error and bounded YAML work',
    (name) => {
      const r = results.find((x) => x.name === name)!;
      expect(r.problems).toEqual([]);
    },
  );

  it('expands no alias bomb past the alias limit and composes nothing over a prescan limit', () => {
    const work = (name: string) => results.find((r) => r.name === name)!.work;
    expect(work('billion laughs (lists, 9^10 strings)')).toMatchObject({ composed: 1 });
    expect(work('billion laughs (lists, 9^10 strings)').aliasExpansions).toBeLessThanOrEqual(100);
    expect(work('a megabyte of "["')).toMatchObject({ lexPasses: 1, composed: 0 });
    expect(work('a megabyte of "["').tokens).toBeLessThan(1000);
    expect(work('a file of 5 MiB')).toEqual({ lexPasses: 0, tokens: 0, composed: 0, aliasExpansions: 0 });
  });
});
