// The body of a task's queue message, written by the queue adapter and read by
// the function: a task and nothing else, versioned so that an upgrade can tell
// an old message from a new one. A body that is not a task is refused with a
// reason (it reaches the dead-letter queue and is logged, never run).
import type { Task } from './task.ts';

export interface TaskMessage {
  v: 1;
  task: Task;
}

export class InvalidTaskMessageError extends Error {
  override readonly name = 'InvalidTaskMessageError';
}

export function encodeTaskMessage(task: Task): string {
  return JSON.stringify({ v: 1, task } satisfies TaskMessage);
}

export function decodeTaskMessage(body: string): Task {
  let message: TaskMessage;
  try {
    message = JSON.parse(body) as TaskMessage;
  } catch {
    throw new InvalidTaskMessageError('the message body is not JSON');
  }
  const task = message?.task;
  if (message?.v !== 1 || typeof task !== 'object' || task === null)
    throw new InvalidTaskMessageError(`not a task message (v=${String(message?.v)})`);
  for (const field of ['id', 'runId', 'collector', 'url'] as const) {
    if (typeof task[field] !== 'string') throw new InvalidTaskMessageError(`task.${field} is missing`);
  }
  if (typeof task.hop !== 'number' || typeof task.page !== 'number') throw new InvalidTaskMessageError('task.hop or task.page is missing');
  // Messages written before discovery crawls have neither: a start page at depth 0.
  if (task.kind !== undefined && typeof task.kind !== 'string') throw new InvalidTaskMessageError('task.kind is not a string');
  if (task.depth !== undefined && typeof task.depth !== 'number') throw new InvalidTaskMessageError('task.depth is not a number');
  return task;
}
