// `collect cost`: what a collector costs every month at rest, and what the
// project's shared resources cost once, apart.
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { costCommand } from '../../runtime/tools/cli/commands/cost.ts';
import { fixedMonthlyCost } from '../../runtime/tools/review/cost-fixed.ts';
import { loadPrices } from '../../runtime/tools/review/prices.ts';

const MINUTES_PER_MONTH = (365.25 * 24 * 60) / 12;

describe('the fixed monthly cost', () => {
  it('is the polling of its queue alone; the schedule, queue, table, alarm and ledger cost nothing at rest', async () => {
    const prices = await loadPrices();
    const fixed = fixedMonthlyCost(prices, { scheduled: true, hasTable: true, runsPerMonth: 30 });
    const polls = 5 * 3 * MINUTES_PER_MONTH;
    expect(Object.fromEntries(fixed.lines.map((l) => [l.item, l.monthly]))).toEqual({
      'task queue (SQS)': 0,
      'Lambda polling the task queue': (polls * 0.4) / 1e6,
      'schedule (EventBridge Scheduler)': 0,
      'table (Glue Data Catalog)': 0,
      alarm: 0,
      'run ledger (DynamoDB)': 0,
    });
    expect(fixed.monthly).toBeCloseTo(0.263, 3);
    expect(fixed.lines.find((l) => l.item === 'alarm')!.why).toMatch(/the project's one alarm/);
    // Once for the project, not per collector: 3 alarm metrics, the dead letters' polling, the sweep's requests.
    expect(fixed.sharedMonthly).toBeCloseTo(0.3 + (polls * 0.4) / 1e6 + ((MINUTES_PER_MONTH / 10) * 0.2) / 1e6, 10);
    const onDemand = fixedMonthlyCost(prices, { scheduled: false, hasTable: false, runsPerMonth: 0 });
    expect(onDemand.monthly).toBe(fixed.monthly);
    expect(onDemand.lines.map((l) => l.why)).toContain('none: the collector runs on demand');
  });

  it('is reported by collect cost, in text and JSON', async () => {
    const run = async (argv: string[]) => {
      const stdout = new PassThrough();
      const chunks: string[] = [];
      stdout.on('data', (c: Buffer) => chunks.push(c.toString()));
      await costCommand.run(argv, { stdout, stderr: new PassThrough(), cwd: process.cwd(), env: {} });
      return chunks.join('');
    };
    const text = await run(['collectors/books-toscrape.yaml', '--no-measure']);
    expect(text).toContain('\nEvery month, runs or not: $0.26\n');
    expect(text).toMatch(
      /Lambda polling the task queue +\$0\.26 +its event source mapping long-polls the queue even when it is empty: about 657,450/,
    );
    expect(text).toMatch(/The project pays once, however many collectors: project alarms \(CloudWatch\) \$0\.30/);
    const json = JSON.parse(await run(['collectors/github-issues.yaml', '--no-measure', '--format', 'json'])) as {
      fixed: { monthly: number; lines: unknown[] };
    };
    expect(json.fixed.monthly).toBeCloseTo(0.263, 3);
    expect(json.fixed.lines).toHaveLength(6);
  });
});
