// Step 3: where the chain goes after this page, decided before the detail pages
// so the next page can load while they do. The strategy proposes; the stop
// rules, the loop guard, the incremental stop and the record budget may end it.
import type { DataRecord } from '../../extract/types.ts';
import { loopGuard, requestFingerprint, siteSaysLast, stopAfterPage } from '../../paginate/stop.ts';
import type { NextPage, PageView } from '../../paginate/types.ts';
import type { TaskContext } from '../task-context.ts';
import type { IncrementalFilter } from './record-filters.ts';

export interface NextDecision {
  /** Pages the first page announced, each to become its own task. */
  fanOut: NextPage[];
  /** The page after this one in the chain. */
  next?: NextPage;
}

export function decideNext(
  ctx: TaskContext,
  view: PageView,
  pagePrint: string,
  records: readonly DataRecord[],
  incremental: IncrementalFilter | undefined,
): NextDecision {
  const pagination = ctx.compiled.pagination;
  const current = view.task;
  if (!pagination || current.terminal) return { fanOut: [] };
  // The site saying this is the last page (stop.hasMore, stop.done) holds for pages announced up front too.
  if (siteSaysLast(view, pagination.spec.stop)) return { fanOut: [] };
  // Never more pages than the run could still fetch, and one more, so that the rest is reported.
  const fanOutLimit = Math.min(ctx.pagesLeft(), ctx.compiled.spec.limits.maxPages) + 1;
  const fanOut = current.page === 1 ? (pagination.paginator.fanOut?.(view, fanOutLimit) ?? []) : [];
  if (fanOut.length > 0) return { fanOut };
  if (stopAfterPage(view, pagination.spec.stop, ctx.options.maxPagesPerChain)) return { fanOut };
  let next = pagination.paginator.next(view);
  if (next) {
    const loop = loopGuard([...current.recent, requestFingerprint({ url: current.url, ...tokenOf(current) })], next, pagePrint);
    if (loop?.kind === 'loop') {
      ctx.warn(`${view.response.url}: ${loop.warning}`);
      next = undefined;
    }
  }
  // An incremental run stops paging at the first page that reaches back to what an earlier run collected.
  if (next && incremental?.stopPaging(records)) next = undefined;
  if (next && ctx.ports.budget && ctx.ports.budget.remaining <= records.length) next = undefined;
  return next ? { fanOut, next } : { fanOut };
}

export function tokenOf(task: { token?: string | number }): { token?: string | number } {
  return task.token !== undefined ? { token: task.token } : {};
}
