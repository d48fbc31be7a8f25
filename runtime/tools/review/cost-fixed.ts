// What a collector costs every month whether it runs or not: its resources on
// AWS (deploy/generate/collector-file.ts) at rest. Most cost nothing while idle
// (AWS bills queues, schedules and the ledger by use), and what a shared
// resource does for every collector (the project's alarm, its dead-letter
// queue, its stall sweep, its catalog database) is the project's, not the
// collector's: it is shown once, apart, and does not grow with the collectors.
import type { Prices } from './prices.ts';

interface FixedLine {
  item: string;
  monthly: number;
  /** Why it costs what it costs. */
  why: string;
}

export interface FixedCost {
  /** The collector's own resources, at rest. */
  lines: FixedLine[];
  monthly: number;
  /** The project's shared resources, once whatever the number of collectors (not in `monthly`). */
  shared: FixedLine[];
  sharedMonthly: number;
}

const MINUTES_PER_MONTH = (365.25 * 24 * 60) / 12;
/** The project's alarms and the metrics they evaluate (deploy/terraform/alarms.tf): RunsFailed + RunsStalled, and failed starts. */
const PROJECT_ALARM_METRICS = 3;
/** The stall sweep's schedule (deploy/terraform/scheduler.tf): every 10 minutes. */
const SWEEPS_PER_MONTH = MINUTES_PER_MONTH / 10;

export function fixedMonthlyCost(prices: Prices, collector: { scheduled: boolean; hasTable: boolean; runsPerMonth: number }): FixedCost {
  const poll = prices.sqs.idlePolling;
  const pollsPerMonth = poll.pollers * (60 / poll.waitSeconds) * MINUTES_PER_MONTH;
  const polling = (pollsPerMonth * prices.sqs.perMillionRequests) / 1e6;
  const lines: FixedLine[] = [
    { item: 'task queue (SQS)', monthly: 0, why: 'SQS bills requests, not queues' },
    {
      item: 'Lambda polling the task queue',
      monthly: polling,
      why: `its event source mapping long-polls the queue even when it is empty: about ${fmtCount(pollsPerMonth)} ReceiveMessage requests a month (${poll.pollers} pollers, ${poll.waitSeconds} s waits: an estimate, deploy/prices.json)`,
    },
    collector.scheduled
      ? {
          item: 'schedule (EventBridge Scheduler)',
          monthly: 0,
          why: `a schedule costs nothing; its ${fmtCount(collector.runsPerMonth)} starts a month are in the runs above`,
        }
      : { item: 'schedule', monthly: 0, why: 'none: the collector runs on demand' },
    collector.hasTable
      ? {
          item: 'table (Glue Data Catalog)',
          monthly: 0,
          why: `the first ${fmtCount(prices.glueCatalog.freeObjects)} catalog objects of an account are free (then $${prices.glueCatalog.perHundredThousandObjects} per 100,000 a month); a query costs what Athena scans`,
        }
      : { item: 'table', monthly: 0, why: 'none: the output prefix is a template' },
    { item: 'alarm', monthly: 0, why: "none of its own: the project's one alarm on failed and stalled runs covers every collector" },
    { item: 'run ledger (DynamoDB)', monthly: 0, why: 'shared, on demand: billed per request, nothing at rest' },
  ];
  const shared: FixedLine[] = [
    {
      item: 'project alarms (CloudWatch)',
      monthly: PROJECT_ALARM_METRICS * prices.cloudwatchAlarms.perAlarmMetric,
      why: `runs failed or stalled (2 metrics) and failed starts (1): ${PROJECT_ALARM_METRICS} x $${prices.cloudwatchAlarms.perAlarmMetric}`,
    },
    { item: 'Lambda polling the dead-letter queue', monthly: polling, why: 'one mapping for the whole project, as for a task queue' },
    {
      item: 'stall sweep',
      monthly: (SWEEPS_PER_MONTH * prices.lambda.perMillionRequests) / 1e6,
      why: `${fmtCount(SWEEPS_PER_MONTH)} invocations a month (every 10 minutes), requests only`,
    },
  ];
  const sum = (xs: FixedLine[]) => xs.reduce((a, l) => a + l.monthly, 0);
  return { lines, monthly: sum(lines), shared, sharedMonthly: sum(shared) };
}

function fmtCount(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}
