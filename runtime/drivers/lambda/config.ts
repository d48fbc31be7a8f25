// The function's settings, from the environment the generated Terraform gives
// it. None of them grows with the number of collectors: queue URLs derive from
// the collector's name (COLLECT_QUEUE_URL_PREFIX + `<name>-tasks`).
//   COLLECT_BUCKET                  where records go on AWS (in place of each output's bucket)
//   COLLECT_QUEUE_URL_PREFIX        `https://sqs.<region>.amazonaws.com/<account>/<function>-`
//   COLLECT_LEDGER_TABLE            the run ledger (DynamoDB)
//   COLLECT_DEAD_LETTER_QUEUE_ARN   the shared dead-letter queue, consumed to record failed tasks
//   COLLECT_MAX_RECEIVE_COUNT       the queues' redrive setting: the last delivery reports instead of retrying
//   COLLECT_ALARM_TOPIC_ARN         optional: an SNS topic told which collector's run failed or stalled, and why
//   COLLECT_STALLED_AFTER_SECONDS   a run without progress this long is marked stalled
//   COLLECT_LEDGER_RETENTION_DAYS   how long the ledger keeps a run
//   COLLECT_FUNCTION_TIMEOUT_SECONDS the function's own timeout: the time a task needs to start and the
//                                   reserve kept for its commit are fractions of it (at most 15 s and 5 s)
import { DEPLOYMENT_DEFAULTS } from '../../language/deployment-defaults.ts';

export interface LambdaConfig {
  bucket?: string;
  queueUrlPrefix: string;
  ledgerTable: string;
  deadLetterQueueArn?: string;
  maxReceiveCount: number;
  alarmTopicArn?: string;
  stalledAfterSeconds: number;
  retentionDays: number;
  /** Time a task needs before it may start (later tasks of a batch go back to SQS). */
  minStartMs: number;
  /** Time kept after a task's last page for its commit and announcements. */
  reserveMs: number;
}

/** The most a task waits for, and keeps back, on a long timeout; short timeouts keep a share of themselves. */
const MIN_START_MS = 15_000;
const RESERVE_MS = 5_000;

export class LambdaConfigError extends Error {
  override readonly name = 'LambdaConfigError';
}

type Env = Readonly<Record<string, string | undefined>>;

export function readLambdaConfig(env: Env): LambdaConfig {
  const queueUrlPrefix = required(env, 'COLLECT_QUEUE_URL_PREFIX');
  if (!/^https?:\/\//.test(queueUrlPrefix))
    throw new LambdaConfigError(`COLLECT_QUEUE_URL_PREFIX is not a queue URL prefix: "${queueUrlPrefix}"`);
  const bucket = optional(env, 'COLLECT_BUCKET');
  const deadLetterQueueArn = optional(env, 'COLLECT_DEAD_LETTER_QUEUE_ARN');
  const alarmTopicArn = optional(env, 'COLLECT_ALARM_TOPIC_ARN');
  return {
    queueUrlPrefix,
    ledgerTable: required(env, 'COLLECT_LEDGER_TABLE'),
    ...(bucket ? { bucket } : {}),
    ...(deadLetterQueueArn ? { deadLetterQueueArn } : {}),
    ...(alarmTopicArn ? { alarmTopicArn } : {}),
    maxReceiveCount: whole(env, 'COLLECT_MAX_RECEIVE_COUNT', DEPLOYMENT_DEFAULTS.queue.maxReceiveCount),
    stalledAfterSeconds: whole(env, 'COLLECT_STALLED_AFTER_SECONDS', DEPLOYMENT_DEFAULTS.runs.stalledAfterMinutes * 60),
    retentionDays: whole(env, 'COLLECT_LEDGER_RETENTION_DAYS', DEPLOYMENT_DEFAULTS.runs.retentionDays),
    ...timeShares(whole(env, 'COLLECT_FUNCTION_TIMEOUT_SECONDS', DEPLOYMENT_DEFAULTS.timeoutSeconds) * 1000),
  };
}

function timeShares(timeoutMs: number): { minStartMs: number; reserveMs: number } {
  return { minStartMs: Math.min(MIN_START_MS, Math.round(timeoutMs / 4)), reserveMs: Math.min(RESERVE_MS, Math.round(timeoutMs / 10)) };
}

function optional(env: Env, name: string): string | undefined {
  return env[name]?.trim() || undefined;
}

function required(env: Env, name: string): string {
  const value = optional(env, name);
  if (!value) throw new LambdaConfigError(`${name} is not set; the generated Terraform sets it on the function`);
  return value;
}

function whole(env: Env, name: string, fallback: number): number {
  const text = optional(env, name);
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new LambdaConfigError(`${name} must be a whole number of at least 1, not "${text}"`);
  return n;
}
