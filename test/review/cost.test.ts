// The cost model's arithmetic, line by line, against the prices file; and the
// inputs it measures from the example collectors' recordings.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { costCommand } from '../../runtime/tools/cli/commands/cost.ts';
import { estimateCost, type CostInputs } from '../../runtime/tools/review/cost.ts';
import { formatCostMarkdown, formatCostText } from '../../runtime/tools/review/cost-format.ts';
import { gatherCostInputs } from '../../runtime/tools/review/cost-inputs.ts';
import type { Har } from '../../runtime/tools/review/har.ts';
import { loadPrices } from '../../runtime/tools/review/prices.ts';
import type { Collector } from '../../runtime/language/generated/collector.types.ts';
import { loadCollectorFile } from '../../runtime/language/load.ts';
import { captureIO, ROOT } from './support.ts';

const prices = await loadPrices();
const GB = 1024 ** 3;
const RUNS = 30.4375; // cron(0 6 * * ? *)

function inputs(over: Partial<CostInputs> = {}): CostInputs {
  const m = (value: number) => ({ value, source: 'test' });
  return {
    collector: 'test',
    runsPerMonth: m(RUNS),
    pagesPerRun: m(1000),
    tasksPerRun: m(20),
    latencyMsPerPage: m(200),
    cpuMsPerPage: m(2),
    logBytesPerPage: m(100),
    outputBytesPerPage: m(500),
    memoryMb: m(512),
    architecture: 'arm64',
    concurrency: m(16),
    batchSize: m(5),
    ec2Instance: 't4g.small',
    ...over,
  };
}

describe('the price list', () => {
  it('has its date, its sources and the prices of the design', () => {
    const raw = JSON.parse(readFileSync(join(ROOT, 'deploy/prices.json'), 'utf8')) as { asOf: string };
    expect(raw.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(prices.lambda.gbSecond.arm64).toBe(0.0000133334);
    expect(prices.lambda.perMillionRequests).toBe(0.2);
    expect(prices.sqs.perMillionRequests).toBe(0.4);
    expect(prices.s3.perThousandPuts).toBe(0.005);
    expect(prices.s3.storagePerGbMonth).toBe(0.023);
    expect(prices.cloudwatchLogs.ingestionPerGb).toBe(0.5);
    expect(prices.ec2.instances['t4g.small']!.perHour).toBe(0.0168);
    for (const part of [prices.lambda, prices.sqs, prices.s3, prices.cloudwatchLogs, prices.scheduler, prices.ec2])
      expect(part.source).toMatch(/^https:\/\/aws\.amazon\.com\//);
  });
});

describe('estimateCost', () => {
  it('computes every line of the monthly bill', () => {
    const e = estimateCost(inputs(), prices);
    // 200 ms shared by 16 pages in flight = 12.5 ms a page; CPU 2 ms x 1769/512 = 6.9 ms is less.
    expect(e.perRun.msPerPage).toBe(12.5);
    expect(e.perRun.boundBy).toBe('latency');
    expect(e.perRun.billedSeconds).toBe(13.5); // 1000 x 12.5 ms + 20 tasks x 50 ms
    expect(e.perRun.gbSeconds).toBe(6.75);
    expect(e.perRun.invocations).toBe(5); // the start + 20 tasks / 5
    expect(e.perRun.sqsRequests).toBe(10); // 20/10 sends + 2 x 4 batches
    expect(e.perRun.s3Puts).toBe(21);
    const monthly = Object.fromEntries(e.lines.map((l) => [l.item, l.monthly]));
    expect(monthly['Lambda compute (arm64)']).toBeCloseTo(6.75 * RUNS * 0.0000133334, 12);
    expect(monthly['Lambda requests']).toBeCloseTo((5 * RUNS * 0.2) / 1e6, 12);
    expect(monthly['SQS requests']).toBeCloseTo((10 * RUNS * 0.4) / 1e6, 12);
    expect(monthly['S3 PUTs']).toBeCloseTo((21 * RUNS * 0.005) / 1000, 12);
    expect(monthly['S3 storage (one month of output)']).toBeCloseTo(((1000 * 500 * RUNS) / GB) * 0.023, 12);
    expect(monthly['CloudWatch Logs ingestion']).toBeCloseTo((((1000 * 100 + 20 * 250 + 5 * 400) * RUNS) / GB) * 0.5, 12);
    expect(monthly['EventBridge Scheduler']).toBeCloseTo(RUNS / 1e6, 12);
    expect(e.monthly).toBeCloseTo(
      Object.values(monthly).reduce((a, b) => a + b, 0),
      12,
    );
    expect(e.perRunCost).toBeCloseTo(e.monthly / RUNS, 12);
  });

  it('matches the design note: about $0.04 per million pages at 256 MB, 16 in flight, 200 ms', () => {
    const e = estimateCost(
      inputs({
        pagesPerRun: { value: 1e6, source: 't' },
        tasksPerRun: { value: 0, source: 't' },
        runsPerMonth: { value: 1, source: 't' },
        memoryMb: { value: 256, source: 't' },
        cpuMsPerPage: { value: 0, source: 't' },
      }),
      prices,
    );
    expect(e.lines[0]!.monthly).toBeCloseTo(3125 * 0.0000133334, 10);
    expect(e.lines[0]!.monthly).toBeCloseTo(0.0417, 4);
  });

  it('is bound by the rate limit or by CPU when they are slower than the network', () => {
    expect(estimateCost(inputs({ perSecond: 1 }), prices).perRun).toMatchObject({ msPerPage: 1000, boundBy: 'rate limit' });
    const cpu = estimateCost(
      inputs({
        latencyMsPerPage: { value: 10, source: 't' },
        cpuMsPerPage: { value: 5, source: 't' },
        concurrency: { value: 32, source: 't' },
      }),
      prices,
    );
    expect(cpu.perRun.boundBy).toBe('cpu');
    expect(cpu.perRun.msPerPage).toBeCloseTo((5 * 1769) / 512, 10);
    // From 1,769 MB a function has a whole vCPU: CPU time is not stretched.
    const big = estimateCost(
      inputs({
        latencyMsPerPage: { value: 10, source: 't' },
        cpuMsPerPage: { value: 5, source: 't' },
        concurrency: { value: 32, source: 't' },
        memoryMb: { value: 2048, source: 't' },
      }),
      prices,
    );
    expect(big.perRun.msPerPage).toBe(5);
  });

  it('finds the break-even against EC2', () => {
    const e = estimateCost(inputs(), prices);
    expect(e.ec2.monthly).toBeCloseTo(0.0168 * 730.5, 10);
    const perPage = (6.75 * 0.0000133334 + (5 * 0.2) / 1e6) / 1000;
    expect(e.ec2.breakEvenPagesPerMonth).toBeCloseTo((0.0168 * 730.5) / perPage, 3);
    expect(e.ec2.pagesPerMonth).toBeCloseTo(1000 * RUNS, 10);
    expect(e.ec2.capacityPagesPerMonth).toBeCloseTo(((2 * 1000) / 2) * 730.5 * 3600, 3);
    expect(e.ec2.cheaper).toBe('lambda');
    const busy = estimateCost(inputs({ runsPerMonth: { value: 2922 * 100, source: 't' } }), prices);
    expect(busy.ec2.cheaper).toBe('ec2');
    expect(() => estimateCost(inputs({ ec2Instance: 'z9.huge' }), prices)).toThrow(/no price for EC2 instance type "z9.huge"/);
  });

  it('shows how concurrency inside one invocation and batch size change the bill', () => {
    const e = estimateCost(inputs(), prices);
    expect(e.sensitivity).toHaveLength(15);
    const row = (c: number, b: number) => e.sensitivity.find((r) => r.concurrency === c && r.batchSize === b)!;
    expect(row(1, 5).msPerPage).toBe(200);
    expect(row(4, 5).msPerPage).toBe(50);
    // CPU (2 ms x 1769/512) bounds it from 32 in flight on.
    expect(row(32, 5).msPerPage).toBeCloseTo((2 * 1769) / 512, 10);
    expect(row(1, 5).lambdaMonthly).toBeGreaterThan(row(16, 5).lambdaMonthly * 10);
    // Batches of 10 need 3 invocations and 2 + 2x2 SQS requests a run instead of 21 and 2 + 2x20.
    expect(row(16, 1).sqsMonthly).toBeCloseTo((42 * RUNS * 0.4) / 1e6, 12);
    expect(row(16, 10).sqsMonthly).toBeCloseTo((6 * RUNS * 0.4) / 1e6, 12);
    expect(row(16, 10).monthly).toBeLessThan(row(16, 1).monthly);
  });

  it('prints the inputs with their sources, the lines, the break-even and the table', () => {
    const text = formatCostText(estimateCost(inputs(), prices));
    expect(text).toContain('Monthly cost of test:');
    expect(text).toMatch(/pages per run\s+1,000\s+test/);
    expect(text).toContain(
      'Lambda compute (arm64): 1,000 pages x 12.5 ms (bound by latency) + 20 tasks x 50 ms = 13.5 s x 0.5 GB x 30.44 runs',
    );
    expect(text).toContain('Break-even against EC2 (t4g.small)');
    expect(text).toMatch(/16 in flight\s+\$/);
    const md = formatCostMarkdown(estimateCost(inputs(), prices));
    expect(md).toContain('| item | quantity | monthly |');
  });
});

describe('cost of the example collectors', () => {
  const settings = {
    functionName: 'collect',
    stalledAfterMinutes: 180,
    memoryMb: 512,
    timeoutSeconds: 300,
    architecture: 'arm64' as const,
    maxReceiveCount: 5,
    source: 'test settings',
  };

  it('takes runs from the schedule, the volume from the recording and measures CPU by replaying it', async () => {
    const loaded = await loadCollectorFile('collectors/books-toscrape.yaml', ROOT);
    const i = await gatherCostInputs({ loaded, cwd: ROOT, env: {}, settings, defaultEc2Instance: 't4g.small' });
    const spec = parse(readFileSync(join(ROOT, 'collectors/books-toscrape.yaml'), 'utf8')) as Collector;
    const har = JSON.parse(readFileSync(join(ROOT, 'collectors/books-toscrape.har'), 'utf8')) as Har;
    const s = har.log._collect!.summary;
    expect(i.runsPerMonth.value).toBe(RUNS);
    expect(i.runsPerMonth.source).toContain('schedule cron(0 6 * * ? *)');
    // A short recording, extrapolated to expect.minRecords with its shape.
    const min = spec.expect!.minRecords!;
    const listing = Math.ceil(min / (s.items / s.listingPages));
    expect(i.pagesPerRun.value).toBe(listing + Math.round((min * (s.pages - s.listingPages)) / s.items));
    expect(i.pagesPerRun.source).toContain('expect.minRecords');
    expect(i.cpuMsPerPage.source).toContain('measured: replay of collectors/books-toscrape.har');
    expect(i.cpuMsPerPage.value).toBeGreaterThan(0);
    expect(i.latencyMsPerPage).toEqual({
      value: 200,
      source: 'default (collectors/books-toscrape.har was recorded against a local server)',
    });
    expect(i.concurrency.value).toBe(spec.request!.rateLimit!.concurrency);
    expect(i.perSecond).toBe(spec.request!.rateLimit!.perSecond);
  });

  it('collect cost prints JSON for several collectors; flags override the measurements', async () => {
    const io = captureIO(ROOT);
    const code = await costCommand.run(
      [
        'collectors/books-toscrape.yaml',
        'collectors/github-issues.yaml',
        '--format',
        'json',
        '--no-measure',
        '--pages',
        '500',
        '--memory-mb',
        '1024',
      ],
      io,
    );
    expect(code).toBe(0);
    const [books, github] = JSON.parse(io.out()) as { inputs: CostInputs; monthly: number; perRun: { boundBy: string } }[];
    expect(books!.inputs.pagesPerRun).toEqual({ value: 500, source: '--pages' });
    expect(books!.inputs.memoryMb).toEqual({ value: 1024, source: '--memory-mb' });
    expect(books!.inputs.cpuMsPerPage.source).toContain('default');
    expect(github!.inputs.runsPerMonth.value).toBe(RUNS); // rate(1 day)
    expect(github!.perRun.boundBy).toBe('rate limit'); // 1 request a second
    expect(books!.monthly).toBeGreaterThan(0);
  });
});
