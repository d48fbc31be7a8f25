// The monthly bill of one collector, worked out in the open: every input says
// where it came from, every line says how it was computed. Pure arithmetic;
// cost-inputs.ts gathers the measurements.
import { fixedMonthlyCost, type FixedCost } from './cost-fixed.ts';
import type { Prices } from './prices.ts';

/** Where a number came from, shown beside it. */
type Source = string;

export interface Measured {
  value: number;
  source: Source;
}

export interface CostInputs {
  collector: string;
  runsPerMonth: Measured;
  pagesPerRun: Measured;
  tasksPerRun: Measured;
  /** Time one request takes, from sending it to its last byte (network and server). */
  latencyMsPerPage: Measured;
  /** CPU time of one page on one full vCPU (parse, extract, engine). */
  cpuMsPerPage: Measured;
  /** Engine log lines per page (at the deployed log level), bytes. */
  logBytesPerPage: Measured;
  /** Gzipped output per page, bytes. */
  outputBytesPerPage: Measured;
  memoryMb: Measured;
  architecture: 'arm64' | 'x86_64';
  /** Pages in flight inside one invocation. */
  concurrency: Measured;
  /** Requests per second one invocation may send to the source; undefined: no limit. */
  perSecond?: number;
  batchSize: Measured;
  ec2Instance: string;
  /** Region of the deployment, when known (the price list is for one region). */
  region?: string;
  /** It has an enabled schedule (a schedule resource on AWS). */
  scheduled?: boolean;
  /** Its output prefix is fixed, so it has a table in the Glue Data Catalog. */
  hasTable?: boolean;
}

/** Fixed costs of the runtime that no run measures; shown in the output. */
export const ASSUMPTIONS = {
  /** Lambda's START, END and REPORT lines of one invocation. */
  platformLogBytesPerInvocation: 400,
  /** The summary line the function logs for each task. */
  summaryLogBytesPerTask: 250,
  /** Writing a task's part to S3 and reporting its stats, per task. */
  taskOverheadMs: 50,
  /** Lambda gives a function one full vCPU at this memory size. */
  fullVcpuMb: 1769,
  /** SendMessageBatch takes up to 10 messages. */
  sendBatch: 10,
  hoursPerMonth: (365.25 * 24) / 12,
  bytesPerGb: 1024 ** 3,
} as const;

interface CostLine {
  item: string;
  /** How much of the unit a month takes, with the unit: "1,234 GB-s". */
  quantity: string;
  /** How it was computed. */
  formula: string;
  monthly: number;
}

export interface CostEstimate {
  inputs: CostInputs;
  perRun: {
    /** Billed wall time per page at this concurrency. */
    msPerPage: number;
    /** What bounds msPerPage: the latency shared by concurrent pages, CPU, or the rate limit. */
    boundBy: 'latency' | 'cpu' | 'rate limit';
    billedSeconds: number;
    gbSeconds: number;
    invocations: number;
    sqsRequests: number;
    s3Puts: number;
    logBytes: number;
    outputBytes: number;
  };
  lines: CostLine[];
  /** The runs of a month. */
  monthly: number;
  /** What the collector's resources cost every month, runs or not, and the project's shared ones apart. */
  fixed: FixedCost;
  perRunCost: number;
  /** Lambda compute and requests only: what an EC2 instance would replace. */
  computeMonthly: number;
  ec2: Ec2Comparison;
  /** Monthly Lambda + SQS cost for other concurrency and batch size settings. */
  sensitivity: SensitivityRow[];
  prices: { asOf: string; region: string };
}

interface Ec2Comparison {
  instance: string;
  perHour: number;
  monthly: number;
  /** Pages a month at which Lambda compute costs as much as the instance. */
  breakEvenPagesPerMonth: number;
  pagesPerMonth: number;
  /** Pages a month one instance can do, CPU bound on all its vCPUs. */
  capacityPagesPerMonth: number;
  cheaper: 'lambda' | 'ec2';
}

interface SensitivityRow {
  concurrency: number;
  batchSize: number;
  msPerPage: number;
  lambdaMonthly: number;
  sqsMonthly: number;
  monthly: number;
}

class CostInputError extends Error {
  override readonly name = 'CostInputError';
}

interface Shape {
  msPerPage: number;
  boundBy: CostEstimate['perRun']['boundBy'];
  gbSeconds: number;
  billedSeconds: number;
  invocations: number;
  sqsRequests: number;
}

/** The Lambda and SQS side of one run, for a concurrency and a batch size. */
function shape(i: CostInputs, concurrency: number, batchSize: number): Shape {
  const memory = i.memoryMb.value;
  const cpuShare = Math.max(1, ASSUMPTIONS.fullVcpuMb / memory);
  const candidates: [number, Shape['boundBy']][] = [
    [i.latencyMsPerPage.value / concurrency, 'latency'],
    [i.cpuMsPerPage.value * cpuShare, 'cpu'],
    [i.perSecond ? 1000 / i.perSecond : 0, 'rate limit'],
  ];
  const [msPerPage, boundBy] = candidates.reduce((a, b) => (b[0] > a[0] ? b : a));
  const pages = i.pagesPerRun.value;
  const tasks = i.tasksPerRun.value;
  const billedSeconds = (pages * msPerPage + tasks * ASSUMPTIONS.taskOverheadMs) / 1000;
  // One invocation starts the run (the schedule's target), the rest drain the queue in batches.
  const invocations = 1 + Math.ceil(tasks / batchSize);
  const batches = Math.ceil(tasks / batchSize);
  const sqsRequests = Math.ceil(tasks / ASSUMPTIONS.sendBatch) + 2 * batches;
  return { msPerPage, boundBy, billedSeconds, gbSeconds: billedSeconds * (memory / 1024), invocations, sqsRequests };
}

export function estimateCost(inputs: CostInputs, prices: Prices): CostEstimate {
  const runs = inputs.runsPerMonth.value;
  const pages = inputs.pagesPerRun.value;
  const tasks = inputs.tasksPerRun.value;
  if (pages < 0 || tasks < 0 || runs < 0) throw new CostInputError('pages, tasks and runs must not be negative');
  const s = shape(inputs, inputs.concurrency.value, inputs.batchSize.value);
  const gbSecondPrice = prices.lambda.gbSecond[inputs.architecture];
  const s3Puts = tasks + 1;
  const logBytes =
    pages * inputs.logBytesPerPage.value +
    tasks * ASSUMPTIONS.summaryLogBytesPerTask +
    s.invocations * ASSUMPTIONS.platformLogBytesPerInvocation;
  const outputBytes = pages * inputs.outputBytesPerPage.value;
  const gb = ASSUMPTIONS.bytesPerGb;

  const linesFor = (runs: number): CostLine[] => [
    {
      item: `Lambda compute (${inputs.architecture})`,
      quantity: `${fmt(s.gbSeconds * runs)} GB-s`,
      formula:
        `${fmt(pages)} pages x ${fmt(s.msPerPage)} ms (bound by ${s.boundBy}) + ${fmt(tasks)} tasks x ${ASSUMPTIONS.taskOverheadMs} ms ` +
        `= ${fmt(s.billedSeconds)} s x ${fmt(inputs.memoryMb.value / 1024)} GB x ${fmt(runs)} runs x $${gbSecondPrice}/GB-s`,
      monthly: s.gbSeconds * runs * gbSecondPrice,
    },
    {
      item: 'Lambda requests',
      quantity: `${fmt(s.invocations * runs)} invocations`,
      formula: `(1 start + ${fmt(tasks)} tasks / batch ${inputs.batchSize.value}) x ${fmt(runs)} runs x $${prices.lambda.perMillionRequests}/million`,
      monthly: (s.invocations * runs * prices.lambda.perMillionRequests) / 1e6,
    },
    {
      item: 'SQS requests',
      quantity: `${fmt(s.sqsRequests * runs)} requests`,
      formula: `(sends ${fmt(tasks)}/${ASSUMPTIONS.sendBatch} + receive and delete 2 x ${fmt(tasks)}/${inputs.batchSize.value}) x ${fmt(runs)} runs x $${prices.sqs.perMillionRequests}/million`,
      monthly: (s.sqsRequests * runs * prices.sqs.perMillionRequests) / 1e6,
    },
    {
      item: 'S3 PUTs',
      quantity: `${fmt(s3Puts * runs)} PUTs`,
      formula: `(${fmt(tasks)} parts + 1 manifest) x ${fmt(runs)} runs x $${prices.s3.perThousandPuts}/1,000`,
      monthly: (s3Puts * runs * prices.s3.perThousandPuts) / 1000,
    },
    {
      item: 'S3 storage (one month of output)',
      quantity: `${fmt((outputBytes * runs) / gb)} GB`,
      formula: `${fmt(pages)} pages x ${fmt(inputs.outputBytesPerPage.value)} B x ${fmt(runs)} runs x $${prices.s3.storagePerGbMonth}/GB-month (grows each month the data is kept)`,
      monthly: ((outputBytes * runs) / gb) * prices.s3.storagePerGbMonth,
    },
    {
      item: 'CloudWatch Logs ingestion',
      quantity: `${fmt((logBytes * runs) / gb)} GB`,
      formula:
        `(${fmt(pages)} pages x ${fmt(inputs.logBytesPerPage.value)} B + ${fmt(tasks)} tasks x ${ASSUMPTIONS.summaryLogBytesPerTask} B ` +
        `+ ${fmt(s.invocations)} invocations x ${ASSUMPTIONS.platformLogBytesPerInvocation} B) ` +
        `x ${fmt(runs)} runs x $${prices.cloudwatchLogs.ingestionPerGb}/GB`,
      monthly: ((logBytes * runs) / gb) * prices.cloudwatchLogs.ingestionPerGb,
    },
    {
      item: 'EventBridge Scheduler',
      quantity: `${fmt(runs)} invocations`,
      formula: `${fmt(runs)} runs x $${prices.scheduler.perMillionInvocations}/million`,
      monthly: (runs * prices.scheduler.perMillionInvocations) / 1e6,
    },
  ];
  const lines = linesFor(runs);
  const monthly = sum(lines.map((l) => l.monthly));
  const computeMonthly = lines[0]!.monthly + lines[1]!.monthly;

  const instance = prices.ec2.instances[inputs.ec2Instance];
  if (!instance)
    throw new CostInputError(
      `no price for EC2 instance type "${inputs.ec2Instance}" in the price list; known: ${Object.keys(prices.ec2.instances).join(', ')}`,
    );
  const ec2Monthly = instance.perHour * ASSUMPTIONS.hoursPerMonth;
  const pagesPerMonth = pages * runs;
  const computePerPage = pages > 0 ? (s.gbSeconds * gbSecondPrice + (s.invocations * prices.lambda.perMillionRequests) / 1e6) / pages : 0;
  const breakEven = computePerPage > 0 ? ec2Monthly / computePerPage : Infinity;
  const capacity =
    inputs.cpuMsPerPage.value > 0 ? ((instance.vcpus * 1000) / inputs.cpuMsPerPage.value) * ASSUMPTIONS.hoursPerMonth * 3600 : Infinity;

  const sensitivity: SensitivityRow[] = [];
  for (const concurrency of [1, 4, 8, 16, 32]) {
    for (const batchSize of [1, 5, 10]) {
      const t = shape(inputs, concurrency, batchSize);
      const lambdaMonthly = t.gbSeconds * runs * gbSecondPrice + (t.invocations * runs * prices.lambda.perMillionRequests) / 1e6;
      const sqsMonthly = (t.sqsRequests * runs * prices.sqs.perMillionRequests) / 1e6;
      sensitivity.push({ concurrency, batchSize, msPerPage: t.msPerPage, lambdaMonthly, sqsMonthly, monthly: lambdaMonthly + sqsMonthly });
    }
  }

  return {
    inputs,
    perRun: {
      msPerPage: s.msPerPage,
      boundBy: s.boundBy,
      billedSeconds: s.billedSeconds,
      gbSeconds: s.gbSeconds,
      invocations: s.invocations,
      sqsRequests: s.sqsRequests,
      s3Puts,
      logBytes,
      outputBytes,
    },
    lines,
    monthly,
    fixed: fixedMonthlyCost(prices, { scheduled: inputs.scheduled ?? false, hasTable: inputs.hasTable ?? true, runsPerMonth: runs }),
    perRunCost: sum(linesFor(1).map((l) => l.monthly)),
    computeMonthly,
    ec2: {
      instance: inputs.ec2Instance,
      perHour: instance.perHour,
      monthly: ec2Monthly,
      breakEvenPagesPerMonth: breakEven,
      pagesPerMonth,
      capacityPagesPerMonth: capacity,
      cheaper: computeMonthly <= ec2Monthly ? 'lambda' : 'ec2',
    },
    sensitivity,
    prices: { asOf: prices.asOf, region: prices.region },
  };
}

function sum(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0);
}

/** Numbers for people: thousands separated, at most a few significant decimals. */
export function fmt(n: number): string {
  if (!Number.isFinite(n)) return n > 0 ? '∞' : String(n);
  const abs = Math.abs(n);
  const digits = abs >= 100 ? 0 : abs >= 1 ? 2 : abs >= 0.01 ? 3 : 6;
  return n.toLocaleString('en-US', { maximumFractionDigits: digits });
}

export function money(n: number): string {
  if (n === 0) return '$0';
  if (n < 0.0001) return '<$0.0001';
  if (n < 0.01) return `$${n.toPrecision(2)}`;
  return `$${n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}
