import type { ParsedPage } from '../extract/types.ts';
import type { FetchResponse } from '../fetch/types.ts';
import type { Task } from '../engine/task.ts';

/** What a strategy sees of the page it just read. */
export interface PageView {
  task: Task;
  /** Undefined when the status was accepted as an empty page. */
  page: ParsedPage | undefined;
  response: FetchResponse;
  /** Items (records before filtering) found on this page. */
  items: number;
}

/** The first request of the following page. */
export interface NextPage {
  url: string;
  token?: string | number;
}

export interface Paginator {
  /** The next page of the chain, or undefined when the strategy sees no more. */
  next(view: PageView): NextPage | undefined;
  /** Pages known up front from the first page; they fan out as separate tasks instead of a chain. */
  fanOut?(view: PageView): NextPage[] | undefined;
}
