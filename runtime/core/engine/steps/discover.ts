// Step 3b: the pages a page leads to by its kind's `discover` rules, each a
// follow-up task of the kind the rule names, one link further from the start.
// A rule stops at its `maxDepth`; a page's links are taken once each (the
// same link from two rules is the first rule's), at most
// `limits.maxItemsPerPage` of them. A link's URL is the site's: a secret the
// site echoed into it is taken out before the task is made (tasks travel in
// queue messages and checkpoints). What was found before, anywhere in the run,
// has the same task id and is dropped by the driver.
import { canonicalUrl } from '../../discover/canonical-url.ts';
import { pageTask } from '../../discover/page-task.ts';
import { findLinks } from '../../discover/rules.ts';
import type { ParsedPage } from '../../extract/types.ts';
import type { Task } from '../task.ts';
import type { TaskContext } from '../task-context.ts';

export function discoverPages(ctx: TaskContext, current: Task, page: ParsedPage | null): Task[] {
  const rules = ctx.compiled.kind.discover;
  if (rules.length === 0 || !page) return [];
  const depth = (current.depth ?? 0) + 1;
  const cap = ctx.compiled.spec.limits.maxItemsPerPage;
  const base = { runId: ctx.task.runId, collector: ctx.task.collector, vars: current.vars, hop: ctx.task.hop + 1 };
  const taken = new Set<string>([canonicalUrl(current.url)]);
  const out: Task[] = [];
  for (const rule of rules) {
    if (depth > rule.maxDepth) continue;
    const view = ctx.compiled.kinds.get(rule.as);
    if (!view) {
      // The validator refuses such a collector; one that was not validated says so here.
      ctx.warn(`discover[${rule.index}] on ${ctx.compiled.kind.name} pages: no kind "${rule.as}" under pages; its links are not followed`);
      continue;
    }
    for (const found of findLinks(rule, page)) {
      const url = canonicalUrl(ctx.ports.secrets.scrubUrl(found));
      if (taken.has(`${rule.as} ${url}`)) continue;
      taken.add(`${rule.as} ${url}`);
      if (out.length >= cap) {
        ctx.warn(`${page.url}: more than limits.maxItemsPerPage (${cap}) links to discover; the rest are not followed`);
        return out;
      }
      out.push(pageTask(base, view, url, depth));
    }
  }
  return out;
}

/**
 * The items of a page, for the stop rules: its records (and broken items); on a kind that only
 * discovers, the pages it leads to, so that `stop.emptyPage` ends a listing's chain at the page
 * that lists nothing, not at its first page.
 */
export function pageItems(ctx: TaskContext, extracted: number, discovered: readonly Task[]): number {
  return ctx.compiled.spec.extract ? extracted : discovered.length;
}
