// Step 1: the page's response. A retryable failure (network, 429, 5xx) on the
// task's first page hands the whole task back for another delivery; later in a
// chain, the pages done are kept and the rest is handed on. On the last
// delivery, or for a permanent failure, the page is reported and the chain ends.
// A page is taken from the run's page budget (limits.maxPages) before it is
// requested (a prefetched page when its fetch starts), and given back if the
// request fails; a page the budget refuses is not requested.
import { isRetryable } from '../../fetch/errors.ts';
import type { FetchResponse } from '../../fetch/types.ts';
import { errorMessage, RetryableTaskError } from '../errors.ts';
import { buildRequest, type PageRequest } from '../request.ts';
import type { TaskContext } from '../task-context.ts';
import { countReused } from '../stats.ts';

export type Fetched = { kind: 'page'; response: FetchResponse } | { kind: 'retry-later' } | { kind: 'failed' } | { kind: 'refused' };

export function startFetch(ctx: TaskContext, at: PageRequest): Promise<FetchResponse> {
  return buildRequest(ctx.compiled, ctx.task, at, ctx.ports.secrets, ctx.ports.incremental).then((request) =>
    ctx.ports.fetcher.fetch(request, ctx.compiled.policy),
  );
}

/** `pending`: the page's fetch, started (and its page taken) before; otherwise the page is taken here. */
export async function fetchPage(
  ctx: TaskContext,
  at: PageRequest,
  pending: Promise<FetchResponse> | undefined,
  pagesDone: number,
): Promise<Fetched> {
  if (!pending && !ctx.takePage()) {
    ctx.pagesRefused(at.url, 'this page was not fetched');
    return { kind: 'refused' };
  }
  let response: FetchResponse;
  try {
    response = await (pending ?? startFetch(ctx, at));
  } catch (err) {
    ctx.givePageBack();
    if (isRetryable(err) && !ctx.options.finalAttempt) {
      if (pagesDone === 0) throw new RetryableTaskError(ctx.redact(`${at.url}: ${errorMessage(err)}`), ctx.redact(at.url), err);
      return { kind: 'retry-later' };
    }
    ctx.fail(at.url, err);
    ctx.progress({ failures: 1 });
    return { kind: 'failed' };
  }
  ctx.stats.pages++;
  if (response.reused) countReused(ctx.stats);
  ctx.stats.bytes += response.bytes;
  ctx.stats.retries += response.attempts - 1;
  return { kind: 'page', response };
}
