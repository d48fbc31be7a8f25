// The events the function takes, and the parts of the Lambda context it
// uses. Written out here (not @types/aws-lambda) so the bundle and the tests
// depend on nothing but these few fields.

/** EventBridge Scheduler's input: `{"collector": "...", "scheduledTime": "<aws.scheduler.scheduled-time>"}`. */
export interface SchedulerEvent {
  collector: string;
  scheduledTime?: string;
  /** A run id given by hand (`collect invoke`): takes the place of scheduledTime. */
  runId?: string;
}

export interface SqsRecord {
  messageId: string;
  receiptHandle: string;
  body: string;
  attributes: {
    ApproximateReceiveCount?: string;
    SentTimestamp?: string;
    [name: string]: string | undefined;
  };
  messageAttributes?: Record<string, unknown>;
  md5OfBody?: string;
  eventSource: string;
  eventSourceARN: string;
  awsRegion?: string;
}

export interface SqsEvent {
  Records: SqsRecord[];
}

/** The answer of an event source mapping with `ReportBatchItemFailures`. */
export interface SqsBatchResponse {
  batchItemFailures: { itemIdentifier: string }[];
}

export interface LambdaContext {
  awsRequestId: string;
  functionName?: string;
  getRemainingTimeInMillis(): number;
}

export function isSqsEvent(event: unknown): event is SqsEvent {
  const records = (event as { Records?: unknown } | null)?.Records;
  return Array.isArray(records) && records.every((r) => (r as { eventSource?: unknown })?.eventSource === 'aws:sqs');
}

export function isSchedulerEvent(event: unknown): event is SchedulerEvent {
  const e = event as Partial<SchedulerEvent> | null;
  return typeof e === 'object' && e !== null && typeof e.collector === 'string' && !('Records' in e);
}

/** The project-wide schedule's input: `{"sweep": true}`, to find stalled runs. */
export interface SweepEvent {
  sweep: true;
}

export function isSweepEvent(event: unknown): event is SweepEvent {
  return (event as Partial<SweepEvent> | null)?.sweep === true;
}

/** True when every record of the batch comes from the given queue (the dead-letter queue). */
export function isFromQueue(event: SqsEvent, arn: string | undefined): boolean {
  return arn !== undefined && event.Records.length > 0 && event.Records.every((r) => r.eventSourceARN === arn);
}
