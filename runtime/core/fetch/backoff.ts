// How long to wait before a retry: exponential backoff with full jitter
// (a random delay between 0 and base * 2^(n-1), capped), unless the server
// said how long with `Retry-After`. Pure: randomness and time are parameters.
import { HttpStatusError } from './errors.ts';
import type { RetryPolicy } from './types.ts';

export type Random = () => number;

/**
 * The longest delay setTimeout keeps: Node fires a longer one (2^31 ms, about
 * 24.8 days, or more) after 1 ms, so an unclamped huge `Retry-After` would
 * retry at once, again and again.
 */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** A delay setTimeout waits as asked: not negative, not NaN, at most MAX_TIMER_MS. */
export function timerDelay(ms: number): number {
  if (!(ms > 0)) return 0;
  return Math.min(ms, MAX_TIMER_MS);
}

/** Delay before retry number `retry` (1 for the first retry), in ms. */
export function backoffDelay(retry: number, policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs'>, random: Random = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, retry - 1));
  return Math.floor(random() * ceiling);
}

/**
 * A `Retry-After` header value in ms from `nowMs`: delta-seconds or an
 * HTTP-date. Undefined when absent or unreadable; a date in the past is 0.
 */
export function parseRetryAfter(value: string | undefined, nowMs: number = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  // Only a date has letters; this keeps "-5" or "1e3" from parsing as a year.
  if (!/[a-z]/i.test(text)) return undefined;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}

/**
 * The delay actually waited: the server's `Retry-After` when given, else
 * backoff; never above `maxDelayMs`, nor above what a timer can wait (however
 * far ahead the server's seconds or date are).
 */
export function retryDelay(
  retry: number,
  policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs'>,
  retryAfterMs: number | undefined,
  random: Random = Math.random,
): number {
  if (retryAfterMs !== undefined) return timerDelay(Math.min(retryAfterMs, policy.maxDelayMs));
  return timerDelay(backoffDelay(retry, policy, random));
}

/**
 * How long a task whose fetch gave up with a retryable error waits before it
 * is delivered again (the local driver's next attempt): as long as one more
 * retry would, so a site that asked for a wait with `Retry-After` is not asked
 * again at once, only sooner than it said when that is over `maxDelayMs`.
 */
export function redeliveryDelay(
  cause: unknown,
  delivery: number,
  policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs'>,
  random: Random = Math.random,
): number {
  return retryDelay(delivery, policy, cause instanceof HttpStatusError ? cause.retryAfterMs : undefined, random);
}

/** Waits `ms` (within the timer ceiling), or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  if (ms <= 0) return Promise.resolve();
  return new Promise<void>((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, timerDelay(ms));
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
