// Step 1: the page's response. A retryable failure (network, 429, 5xx) on the
// task's first page hands the whole task back for another delivery; later in a
// chain, the pages done are kept and the rest is handed on. On the last
// delivery, or for a permanent failure, the page is reported and the chain ends.
import { isRetryable } from '../../fetch/errors.ts';
import type { FetchResponse } from '../../fetch/types.ts';
import { errorMessage, RetryableTaskError } from '../errors.ts';
import { buildRequest, type PageRequest } from '../request.ts';
import type { TaskContext } from '../task-context.ts';

export type Fetched = { kind: 'page'; response: FetchResponse } | { kind: 'retry-later' } | { kind: 'failed' };

export function startFetch(ctx: TaskContext, at: PageRequest): Promise<FetchResponse> {
  return buildRequest(ctx.compiled, ctx.task, at, ctx.ports.secrets).then((request) =>
    ctx.ports.fetcher.fetch(request, ctx.compiled.policy),
  );
}

export async function fetchPage(
  ctx: TaskContext,
  at: PageRequest,
  pending: Promise<FetchResponse> | undefined,
  pagesDone: number,
): Promise<Fetched> {
  let response: FetchResponse;
  try {
    response = await (pending ?? startFetch(ctx, at));
  } catch (err) {
    if (isRetryable(err) && !ctx.options.finalAttempt) {
      if (pagesDone === 0) throw new RetryableTaskError(ctx.redact(`${at.url}: ${errorMessage(err)}`), ctx.redact(at.url), err);
      return { kind: 'retry-later' };
    }
    ctx.fail(at.url, err);
    ctx.progress({ failures: 1 });
    return { kind: 'failed' };
  }
  ctx.stats.pages++;
  ctx.stats.bytes += response.bytes;
  ctx.stats.retries += response.attempts - 1;
  return { kind: 'page', response };
}
