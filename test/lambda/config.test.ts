import { describe, expect, it } from 'vitest';
import { LambdaConfigError, readLambdaConfig } from '../../runtime/drivers/lambda/config.ts';
import { InvalidTaskMessageError, decodeTaskMessage } from '../../runtime/core/engine/task-message.ts';
import { receiveCount } from '../../runtime/drivers/lambda/task-batch.ts';
import { isFromQueue, isSchedulerEvent, isSqsEvent, isSweepEvent, type SqsEvent } from '../../runtime/drivers/lambda/events.ts';
import { runLocation } from '../../runtime/drivers/lambda/run-location.ts';
import { compileCollector } from '../../runtime/core/engine/compile.ts';
import { DEPLOYMENT_DEFAULTS } from '../../runtime/language/deployment-defaults.ts';
import { resolveCollector } from '../../runtime/language/resolve.ts';

/** What the generated Terraform always sets. */
const REQUIRED = {
  COLLECT_QUEUE_URL_PREFIX: 'https://sqs.eu-west-1.amazonaws.com/123456789012/collect-',
  COLLECT_LEDGER_TABLE: 'collect-ledger',
};

describe('the function environment', () => {
  it('reads every setting as the Terraform sets it', () => {
    expect(
      readLambdaConfig({
        ...REQUIRED,
        COLLECT_BUCKET: 'lake-prod',
        COLLECT_DEAD_LETTER_QUEUE_ARN: 'arn:aws:sqs:eu-west-1:123456789012:collect-dead-letters',
        COLLECT_MAX_RECEIVE_COUNT: '8',
        COLLECT_ALARM_TOPIC_ARN: 'arn:aws:sns:eu-west-1:123456789012:collect-alarms',
        COLLECT_STALLED_AFTER_SECONDS: '3600',
        COLLECT_LEDGER_RETENTION_DAYS: '30',
        COLLECT_FUNCTION_TIMEOUT_SECONDS: '900',
      }),
    ).toEqual({
      queueUrlPrefix: REQUIRED.COLLECT_QUEUE_URL_PREFIX,
      ledgerTable: 'collect-ledger',
      bucket: 'lake-prod',
      deadLetterQueueArn: 'arn:aws:sqs:eu-west-1:123456789012:collect-dead-letters',
      maxReceiveCount: 8,
      alarmTopicArn: 'arn:aws:sns:eu-west-1:123456789012:collect-alarms',
      stalledAfterSeconds: 3600,
      retentionDays: 30,
      minStartMs: 15_000,
      reserveMs: 5_000,
    });
  });

  it("fills what is optional from the project schema's defaults", () => {
    const config = readLambdaConfig(REQUIRED);
    expect(config).toMatchObject({
      queueUrlPrefix: REQUIRED.COLLECT_QUEUE_URL_PREFIX,
      ledgerTable: 'collect-ledger',
      maxReceiveCount: DEPLOYMENT_DEFAULTS.queue.maxReceiveCount,
      stalledAfterSeconds: DEPLOYMENT_DEFAULTS.runs.stalledAfterMinutes * 60,
      retentionDays: DEPLOYMENT_DEFAULTS.runs.retentionDays,
    });
    expect(config).not.toHaveProperty('bucket');
    expect(config).not.toHaveProperty('deadLetterQueueArn');
    expect(config).not.toHaveProperty('alarmTopicArn');
    // The default timeout's shares, as if the Terraform had set it.
    const timed = readLambdaConfig({ ...REQUIRED, COLLECT_FUNCTION_TIMEOUT_SECONDS: String(DEPLOYMENT_DEFAULTS.timeoutSeconds) });
    expect({ minStartMs: config.minStartMs, reserveMs: config.reserveMs }).toEqual({
      minStartMs: timed.minStartMs,
      reserveMs: timed.reserveMs,
    });
    // Blank counts as unset.
    expect(readLambdaConfig({ ...REQUIRED, COLLECT_BUCKET: '  ', COLLECT_DEAD_LETTER_QUEUE_ARN: '' })).toEqual(config);
  });

  it("derives the time a task needs to start and the commit's reserve from the function's timeout", () => {
    const shares = (seconds: number) => {
      const c = readLambdaConfig({ ...REQUIRED, COLLECT_FUNCTION_TIMEOUT_SECONDS: String(seconds) });
      return [c.minStartMs, c.reserveMs];
    };
    expect(shares(900)).toEqual([15_000, 5_000]); // at most 15 s and 5 s
    expect(shares(60)).toEqual([15_000, 5_000]);
    expect(shares(20)).toEqual([5_000, 2_000]); // a quarter and a tenth of a short timeout
    expect(shares(6)).toEqual([1_500, 600]);
  });

  it('refuses settings that would fail later, at cold start, naming the variable', () => {
    expect(() => readLambdaConfig({})).toThrow(LambdaConfigError);
    expect(() => readLambdaConfig({ COLLECT_LEDGER_TABLE: 'l' })).toThrow(/COLLECT_QUEUE_URL_PREFIX is not set/);
    expect(() => readLambdaConfig({ COLLECT_QUEUE_URL_PREFIX: REQUIRED.COLLECT_QUEUE_URL_PREFIX })).toThrow(
      /COLLECT_LEDGER_TABLE is not set/,
    );
    expect(() => readLambdaConfig({ ...REQUIRED, COLLECT_LEDGER_TABLE: ' ' })).toThrow(/COLLECT_LEDGER_TABLE/);
    expect(() => readLambdaConfig({ ...REQUIRED, COLLECT_QUEUE_URL_PREFIX: 'collect-' })).toThrow(
      /COLLECT_QUEUE_URL_PREFIX is not a queue URL prefix/,
    );
    for (const name of [
      'COLLECT_MAX_RECEIVE_COUNT',
      'COLLECT_STALLED_AFTER_SECONDS',
      'COLLECT_LEDGER_RETENTION_DAYS',
      'COLLECT_FUNCTION_TIMEOUT_SECONDS',
    ]) {
      for (const bad of ['0', '-1', '2.5', 'five']) {
        expect(() => readLambdaConfig({ ...REQUIRED, [name]: bad })).toThrow(LambdaConfigError);
        expect(() => readLambdaConfig({ ...REQUIRED, [name]: bad })).toThrow(new RegExp(`${name} must be a whole number of at least 1`));
      }
    }
  });
});

describe('events and messages', () => {
  const record = (arn: string) => ({
    messageId: 'm',
    receiptHandle: 'r',
    body: '{}',
    attributes: {},
    eventSource: 'aws:sqs',
    eventSourceARN: arn,
  });
  const TASKS = 'arn:aws:sqs:eu-west-1:123456789012:collect-books-tasks';
  const DEAD = 'arn:aws:sqs:eu-west-1:123456789012:collect-dead-letters';

  it('tells a scheduler start, a sweep and an SQS batch apart', () => {
    expect(isSchedulerEvent({ collector: 'books', scheduledTime: '2024-01-01T00:00:00Z' })).toBe(true);
    expect(isSqsEvent({ Records: [{ eventSource: 'aws:sqs' }] })).toBe(true);
    expect(isSqsEvent({ Records: [{ eventSource: 'aws:s3' }] })).toBe(false);
    expect(isSchedulerEvent({ Records: [], collector: 'x' })).toBe(false);
    expect(isSchedulerEvent(null)).toBe(false);
    expect(isSweepEvent({ sweep: true })).toBe(true);
    expect(isSweepEvent({ sweep: 'true' })).toBe(false);
    expect(isSweepEvent({ collector: 'books' })).toBe(false);
    expect(isSweepEvent(null)).toBe(false);
    expect(isSchedulerEvent({ sweep: true })).toBe(false);
    expect(isSqsEvent({ sweep: true })).toBe(false);
  });

  it("routes a batch to the dead-letter consumer only when every record comes from the dead-letter queue's ARN", () => {
    const batch = (...arns: string[]): SqsEvent => ({ Records: arns.map(record) });
    expect(isFromQueue(batch(DEAD, DEAD), DEAD)).toBe(true);
    expect(isFromQueue(batch(TASKS), DEAD)).toBe(false);
    expect(isFromQueue(batch(DEAD, TASKS), DEAD)).toBe(false);
    expect(isFromQueue(batch(), DEAD)).toBe(false);
    // Without COLLECT_DEAD_LETTER_QUEUE_ARN every batch is a batch of tasks.
    expect(isFromQueue(batch(DEAD), undefined)).toBe(false);
  });

  it('accepts only versioned task messages', () => {
    const task = {
      id: 'a',
      runId: '20240101T000000Z',
      collector: 'c',
      url: 'https://x/',
      vars: {},
      page: 1,
      hop: 2,
      itemsSeen: 0,
      recent: [],
    };
    expect(decodeTaskMessage(JSON.stringify({ v: 1, task }))).toEqual(task);
    expect(() => decodeTaskMessage('nope')).toThrow(InvalidTaskMessageError);
    expect(() => decodeTaskMessage(JSON.stringify({ v: 2, task }))).toThrow(/v=2/);
    expect(() => decodeTaskMessage(JSON.stringify({ v: 1, task: { ...task, url: 5 } }))).toThrow(/task.url/);
    expect(() => decodeTaskMessage(JSON.stringify({ v: 1, task: { ...task, hop: undefined } }))).toThrow(/hop/);
    expect(() => decodeTaskMessage(JSON.stringify({ hello: 'world' }))).toThrow(InvalidTaskMessageError);
  });

  it("reads a record's receive count, the first delivery when SQS does not say", () => {
    expect(receiveCount({ ...record(TASKS), attributes: { ApproximateReceiveCount: '3' } })).toBe(3);
    expect(receiveCount(record(TASKS))).toBe(1);
    expect(receiveCount({ ...record(TASKS), attributes: { ApproximateReceiveCount: 'x' } })).toBe(1);
  });
});

describe('run location on AWS', () => {
  it("puts a run under the deployment's bucket and the collector's rendered prefix", () => {
    const compiled = compileCollector(
      resolveCollector({
        name: 'books',
        variables: { area: 'eu' },
        start: { urls: ['https://x/'] },
        extract: { fields: { t: 'h1' } },
        output: 's3://yaml-bucket/raw/{{ area }}/{{ name }}',
      }),
    );
    expect(runLocation(compiled, '20240102T030405Z', 'lake-prod')).toEqual({
      collector: 'books',
      runId: '20240102T030405Z',
      output: 's3://lake-prod/raw/eu/books',
    });
    expect(runLocation(compiled, '20240102T030405Z', undefined).output).toBe('s3://yaml-bucket/raw/eu/books');
  });
});
