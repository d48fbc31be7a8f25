// A task is a unit of work, not a page: a listing page with its detail pages,
// or a stretch of a next-link/cursor chain. It travels as an SQS message body,
// so it holds only what is needed to redo it and never a secret.

export interface Task {
  /** Deterministic within a run: the same work always gets the same id, so a redelivery overwrites. */
  id: string;
  runId: string;
  collector: string;
  /** URL of the first request of this task, before the collector-wide query is added. */
  url: string;
  /** Start variables of the seed this task descends from (for `context: var.NAME` and path templates). */
  vars: Record<string, string>;
  /** Index of the first page of this task within its pagination chain, 1-based. */
  page: number;
  /** Page-number, offset or cursor value sent with the first request, when the strategy uses one. */
  token?: string | number;
  /** Seed URL template, for strategies that re-render the URL with the token (`in: path`). */
  template?: string;
  /** How many SQS hops led to this task; 0 for work started in-process. */
  hop: number;
  /** Items seen so far in this chain (for `stop.totalPath`). */
  itemsSeen: number;
  /** Fingerprints of recent URLs, tokens and page bodies of this chain: the loop guard's memory. */
  recent: string[];
  /** True for a fan-out page whose chain must not continue (its siblings cover the rest). */
  terminal?: boolean;
  /** The kind of page (a name under `pages`), for a page a discovery rule or a sitemap led to; absent for the start kind. */
  kind?: string;
  /** Links away from a start page (a discovery crawl's depth); absent for 0. Pages of one chain share it. */
  depth?: number;
}

/** Lambda stops a Lambda->SQS->Lambda chain at its 16th invocation; a message may carry hop 15 at most. */
export const MAX_HOP = 15;
