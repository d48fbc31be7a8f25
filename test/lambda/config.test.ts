import { describe, expect, it } from 'vitest';
import { LambdaConfigError, readLambdaConfig } from '../../runtime/drivers/lambda/config.ts';
import { InvalidTaskMessageError, decodeTaskMessage } from '../../runtime/drivers/lambda/task-batch.ts';
import { isSchedulerEvent, isSqsEvent } from '../../runtime/drivers/lambda/events.ts';
import { runLocation } from '../../runtime/drivers/lambda/run-location.ts';
import { compileCollector } from '../../runtime/core/engine/compile.ts';
import { resolveCollector } from '../../runtime/language/resolve.ts';

describe('the function environment', () => {
  it('reads queues, bucket and the redrive setting as the Terraform sets them', () => {
    const queues = { books: 'https://sqs.eu-west-1.amazonaws.com/1/collect-books-tasks' };
    expect(
      readLambdaConfig({ COLLECT_QUEUES: JSON.stringify(queues), COLLECT_BUCKET: 'lake-prod', COLLECT_MAX_RECEIVE_COUNT: '8' }),
    ).toEqual({ queues, bucket: 'lake-prod', maxReceiveCount: 8 });
    expect(readLambdaConfig({})).toEqual({ queues: {}, maxReceiveCount: 5 });
  });

  it('refuses settings that would fail later, at cold start', () => {
    expect(() => readLambdaConfig({ COLLECT_QUEUES: '{books: 1}' })).toThrow(LambdaConfigError);
    expect(() => readLambdaConfig({ COLLECT_QUEUES: '["x"]' })).toThrow(/JSON object/);
    expect(() => readLambdaConfig({ COLLECT_QUEUES: '{"books": "not a url"}' })).toThrow(/COLLECT_QUEUES.books/);
    expect(() => readLambdaConfig({ COLLECT_MAX_RECEIVE_COUNT: '0' })).toThrow(/at least 1/);
  });
});

describe('events and messages', () => {
  it('tells a scheduler start from an SQS batch', () => {
    expect(isSchedulerEvent({ collector: 'books', scheduledTime: '2024-01-01T00:00:00Z' })).toBe(true);
    expect(isSqsEvent({ Records: [{ eventSource: 'aws:sqs' }] })).toBe(true);
    expect(isSqsEvent({ Records: [{ eventSource: 'aws:s3' }] })).toBe(false);
    expect(isSchedulerEvent({ Records: [], collector: 'x' })).toBe(false);
    expect(isSchedulerEvent(null)).toBe(false);
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
