// The network guard end to end: one run whose start URLs spell private,
// loopback, link-local and unique-local targets every way a URL can, names that
// resolve to them and redirects into them. Each is refused with a clear error,
// never retried, and nothing behind the guard is reached; opened with
// network.allow, the loopback ones go through. Scenario in guard.ts.
import { beforeAll, describe, expect, it } from 'vitest';
import { GUARD_CASES, runGuard, type GuardReport } from './guard.ts';

let report: GuardReport;
beforeAll(async () => {
  report = await runGuard();
});

describe('the network guard in a whole run', () => {
  it.each(GUARD_CASES.map((c) => `${c.kind}: ${c.target}`))('refuses %s', (name) => {
    expect(report.cases.find((c) => c.name === name)?.problems).toEqual([]);
  });

  it('keeps the healthy page of the same run and reaches nothing behind the guard', () => {
    expect(report.cases.find((c) => c.name.startsWith('closed run'))?.problems).toEqual([]);
    expect(report.refused).toBe(GUARD_CASES.length);
  });

  it('lets the loopback targets through once network.allow opens them, and only those', () => {
    expect(report.cases.find((c) => c.name.startsWith('opened with'))?.problems).toEqual([]);
    expect(report.allowedThrough).toBe(GUARD_CASES.filter((c) => c.loopback).length);
  });
});
