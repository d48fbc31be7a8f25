// The task of a page reached by a discovery rule or listed in a sitemap: its id
// is made from the run, the kind and the canonical URL (and the first page
// token of the kind's pagination), so the same page found again, from any
// page or any invocation, is the same task; the driver (known ids locally,
// the run ledger on AWS) runs it once.
import { START_KIND } from '../../language/page-kinds.ts';
import type { CompiledCollector } from '../engine/compile.ts';
import { taskId } from '../engine/plan.ts';
import type { Task } from '../engine/task.ts';

export interface PageTaskBase {
  runId: string;
  collector: string;
  vars: Record<string, string>;
  hop: number;
}

/** `view`: the compiled kind the page is; `url` canonical already. */
export function pageTask(base: PageTaskBase, view: CompiledCollector, url: string, depth: number): Task {
  const kind = view.kind.name;
  const pagination = view.pagination;
  const token = pagination ? pagination.strategy.firstToken(pagination.spec) : undefined;
  return {
    id: taskId(base.runId, url, token, kind),
    runId: base.runId,
    collector: base.collector,
    url,
    vars: base.vars,
    page: 1,
    ...(token !== undefined ? { token } : {}),
    hop: base.hop,
    itemsSeen: 0,
    recent: [],
    ...(kind !== START_KIND ? { kind } : {}),
    ...(depth > 0 ? { depth } : {}),
  };
}
