import type { ResolvedParse, ResolvedPagination } from '../../language/generated/resolved.types.ts';
import type { Issue } from '../../language/issue.ts';
import type { Task } from '../engine/task.ts';
import type { ParsedPage } from '../extract/types.ts';
import type { FetchResponse } from '../fetch/types.ts';

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
  /**
   * Pages known up front from the first page; they fan out as separate tasks instead of a chain.
   * At most `limit` of them: a page may announce millions, and no run fetches more than its ceiling.
   */
  fanOut?(view: PageView, limit: number): NextPage[] | undefined;
}

type TokenPlace = 'query' | 'header' | 'body' | 'path';

/** Where a strategy's page number or token goes in a request. */
export interface TokenSlot {
  param: string;
  in: TokenPlace;
  /** With `in: body`: the dot path inside the JSON body (`variables.after`), when not the top-level field `param`. */
  path?: string[];
}

/**
 * Everything about one pagination strategy, in its own file: a new strategy is
 * that file, its schema branch and one line in registry.ts.
 */
export interface PaginationStrategy<S extends ResolvedPagination = ResolvedPagination> {
  paginator(spec: S): Paginator;
  /** Where its number or token goes; none for strategies that follow links. */
  slot(spec: S): TokenSlot | undefined;
  /** The value sent with the first page; undefined when the first page goes without one. */
  firstToken(spec: S): number | undefined;
  /** Parameters sent with every page besides the token (a page size, a limit), in the token's place. */
  fixedParams(spec: S): [string, string | number][];
  /** Template names the strategy fills in the start URLs (`in: path`). */
  templateNames(spec: S): string[];
  /** What the schema cannot check; paths relative to `paginate`. */
  lint(spec: S, parse: ResolvedParse): Issue[];
  /** For `collect explain`: how the next page is found, and what ends the chain besides the shared stop rules. */
  describe(spec: S): { how: string; stops: string[] };
  /** True when the first page announces every page and the rest fan out as tasks instead of a chain. */
  fansOut(spec: S): boolean;
}
