// Whole `collect run` runs against a site that mixes healthy pages with every
// fault kind: each fault retried or reported as it should be, the run finishes,
// the manifest, summary and error report count it, no healthy record is lost
// or doubled. The scenario lives in site-faults.ts (figures.ts runs it too).
import { beforeAll, describe, expect, it } from 'vitest';
import { FAULTS, JSON_FAULTS, runSiteFaults, type SiteFaultsReport } from './site-faults.ts';

let report: SiteFaultsReport;
beforeAll(async () => {
  report = await runSiteFaults();
});

describe('runs against a faulty site', () => {
  it.each(FAULTS.map((f) => `${f.where}: ${f.label}`))('%s: retried or reported as promised, healthy neighbours kept', (name) => {
    const found = report.cases.find((c) => c.name === name);
    expect(found, name).toBeDefined();
    expect(found!.problems).toEqual([]);
  });

  it.each(JSON_FAULTS.map((f) => `json: ${f.label}`))('%s', (name) => {
    expect(report.cases.find((c) => c.name === name)?.problems).toEqual([]);
  });

  it('finishes both runs with the manifest, the summary and _errors/ counting every fault', () => {
    expect(report.runs.map((r) => [r.name, r.problems])).toEqual([
      ['run of the HTML collector', []],
      ['run of the JSON collector', []],
    ]);
  });

  it('loses no record of a healthy page and writes none twice', () => {
    expect(report.healthyRecords).toBeGreaterThan(100);
    expect(report.lost).toEqual([]);
    expect(report.duplicates).toEqual([]);
  });
});
