// The follow-up tasks a page leads to: the rest of its chain (a continuation)
// or the pages it announced (fan-out). Their ids are functions of the run, URL
// and token, so a follow-up found twice is the same task. Past Lambda's 16-hop
// limit a chain cannot go on through SQS; that is reported, not silently lost.
// A follow-up's URL is the site's (a next link, a fan-out page): a secret the
// site echoed into it is taken out before the task is made, since tasks travel
// in queue messages and checkpoints.
import { remember, requestFingerprint } from '../../paginate/stop.ts';
import type { NextPage } from '../../paginate/types.ts';
import { taskId } from '../plan.ts';
import { MAX_HOP, type Task } from '../task.ts';
import type { TaskContext } from '../task-context.ts';
import { tokenOf } from './next-page.ts';

export function chainTask(
  ctx: TaskContext,
  from: Task,
  next: NextPage,
  page: number,
  pagePrint: string,
  items: number,
  terminal: boolean,
): Task {
  const task = ctx.task;
  const url = ctx.ports.secrets.scrubUrl(next.url);
  return {
    id: taskId(task.runId, url, next.token, from.kind),
    runId: task.runId,
    collector: task.collector,
    url,
    vars: from.vars,
    page,
    ...(next.token !== undefined ? { token: next.token } : {}),
    ...(from.template ? { template: from.template } : {}),
    hop: task.hop + 1,
    itemsSeen: from.itemsSeen + items,
    recent: remember(from.recent, requestFingerprint({ url: from.url, ...tokenOf(from) }), pagePrint),
    ...(terminal ? { terminal: true } : {}),
    // The next pages of a chain are pages of the same kind, as far from the start.
    ...(from.kind !== undefined ? { kind: from.kind } : {}),
    ...(from.depth !== undefined ? { depth: from.depth } : {}),
  };
}

/**
 * Keeps the follow-ups that may travel, and reports the others as failures:
 * those past the hop limit, and those whose pagination token holds a secret the
 * site echoed back (a token cannot be scrubbed without breaking the chain, and
 * a secret is never stored).
 */
export function mayTravel(ctx: TaskContext, tasks: Task[], why: string): Task[] {
  return tasks.filter((t) => {
    if (t.token !== undefined && ctx.ports.secrets.holdsSecret(String(t.token))) {
      const message = `chain stopped at page ${t.page}: the site's pagination token holds a secret value, which is never stored in a task (raise scaling.pagesPerTask to keep such a chain inside one task)`;
      ctx.warn(message);
      ctx.fail(ctx.ports.secrets.redact(t.url), new Error(message), { error: 'SecretInTokenError' });
      return false;
    }
    if (!ctx.options.hopLimited || t.hop <= MAX_HOP) return true;
    const message = `chain stopped at page ${t.page} (${t.url}): continuing would be hop ${t.hop}, past Lambda's recursion limit of 16 invocations (${why})`;
    ctx.warn(message);
    ctx.fail(t.url, new Error(message), { error: 'HopLimitError' });
    return false;
  });
}
