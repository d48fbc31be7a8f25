// The TaskQueue on SQS: tasks go out with SendMessageBatch, ten entries (and at
// most 200 KB) a call, several calls at once. Entries that SQS did not take are
// sent again with backoff; a send that still fails throws, so the task (or the
// scheduled start) is retried as a whole and nothing is dropped.
import { SendMessageBatchCommand, type SendMessageBatchRequestEntry, type SQSClient } from '@aws-sdk/client-sqs';
import type { TaskQueue } from '../../core/engine/ports.ts';
import type { Task } from '../../core/engine/task.ts';
import { encodeTaskMessage } from '../../core/engine/task-message.ts';

const MAX_ENTRIES = 10;
/** Under SQS's 256 KiB per batch (and per message), with room for attributes. */
const MAX_BATCH_BYTES = 200 * 1024;

export interface SqsTaskQueueOptions {
  /** Calls made for one batch before giving up. Default 5. */
  maxAttempts?: number;
  /** SendMessageBatch calls in flight at once. Default 8. */
  parallel?: number;
  baseDelayMs?: number;
}

export class QueueSendError extends Error {
  override readonly name = 'QueueSendError';
}

export class SqsTaskQueue implements TaskQueue {
  /** Messages sent, for the invocation summary. */
  sent = 0;

  constructor(
    private readonly sqs: SQSClient,
    readonly queueUrl: string,
    private readonly options: SqsTaskQueueOptions = {},
  ) {}

  async send(tasks: Task[]): Promise<void> {
    const batches = toBatches(tasks.map(encodeTaskMessage));
    const parallel = this.options.parallel ?? 8;
    let next = 0;
    const worker = async () => {
      while (next < batches.length) await this.sendBatch(batches[next++]!);
    };
    await Promise.all(Array.from({ length: Math.min(parallel, batches.length) }, worker));
    this.sent += tasks.length;
  }

  private async sendBatch(bodies: string[]): Promise<void> {
    let pending: SendMessageBatchRequestEntry[] = bodies.map((body, i) => ({ Id: `m${i}`, MessageBody: body }));
    const maxAttempts = this.options.maxAttempts ?? 5;
    for (let attempt = 1; ; attempt++) {
      const res = await this.sqs.send(new SendMessageBatchCommand({ QueueUrl: this.queueUrl, Entries: pending }));
      const failed = res.Failed ?? [];
      if (failed.length === 0) return;
      const fatal = failed.find((f) => f.SenderFault);
      if (fatal) throw new QueueSendError(`SQS refused a task message for ${this.queueUrl}: ${fatal.Code}: ${fatal.Message ?? ''}`);
      if (attempt >= maxAttempts) {
        throw new QueueSendError(
          `SQS did not take ${failed.length} task messages for ${this.queueUrl} after ${attempt} tries: ${failed[0]!.Code}`,
        );
      }
      const again = new Set(failed.map((f) => f.Id));
      pending = pending.filter((e) => again.has(e.Id));
      await new Promise((r) => setTimeout(r, (this.options.baseDelayMs ?? 100) * 2 ** (attempt - 1)));
    }
  }
}

function toBatches(bodies: string[]): string[][] {
  const batches: string[][] = [];
  let current: string[] = [];
  let bytes = 0;
  for (const body of bodies) {
    const size = Buffer.byteLength(body);
    if (size > MAX_BATCH_BYTES) throw new QueueSendError(`a task message of ${size} bytes is larger than SQS allows`);
    if (current.length === MAX_ENTRIES || bytes + size > MAX_BATCH_BYTES) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(body);
    bytes += size;
  }
  if (current.length) batches.push(current);
  return batches;
}
