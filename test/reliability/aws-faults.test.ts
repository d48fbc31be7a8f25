// The AWS path under faults on moto_server: failing S3 writes, invocations that
// die before answering, messages handled twice at once. Still exactly one copy
// of each record, one part per task, nothing in the dead-letter queue.
// The scenarios live in aws-faults.ts (figures.ts runs them too); what
// test/lambda/redelivery.test.ts already shows is not repeated.
import { beforeAll, describe, expect, it } from 'vitest';
import { AWS_SCENARIOS, runAwsFaults, type AwsFaultsReport } from './aws-faults.ts';

let report: AwsFaultsReport;
beforeAll(async () => {
  report = await runAwsFaults();
});

describe('the Lambda path under faults (moto)', () => {
  it.each(AWS_SCENARIOS.map((s) => s.name))('%s: every record exactly once', (name) => {
    const s = report.scenarios.find((r) => r.name === name)!;
    expect(s.problems).toEqual([]);
    expect(s.lost).toEqual([]);
    expect(s.duplicates).toEqual([]);
    expect(s.records).toBe(80);
  });

  it('injected every kind of fault and made SQS redeliver', () => {
    const sum = (f: (s: AwsFaultsReport['scenarios'][number]) => number) => report.scenarios.reduce((n, s) => n + f(s), 0);
    expect(sum((s) => s.putsFailed)).toBeGreaterThanOrEqual(4);
    expect(sum((s) => s.invocationsDied)).toBeGreaterThanOrEqual(4);
    expect(sum((s) => s.doubleDeliveries)).toBeGreaterThanOrEqual(4);
    expect(sum((s) => s.redeliveries)).toBeGreaterThanOrEqual(8);
  });
});
