// Fetch once: a page the stack already fetched is answered from memory, and a
// page requested again while its first request is on the way waits for that
// one. The typical case is twenty listing items linking the same detail page,
// or a page that two discovery rules (or two kinds) lead to: one request.
//
// Only GET pages without a body are kept (role `page`; robots.txt, sitemaps and
// logins are the layers' own business), keyed by the canonical URL (no
// fragment) and the request's headers, for the life of the stack: a run
// locally, a collector and run within one invocation on Lambda. The memory is
// bounded: least recently used responses are dropped past `maxBytes`, and a
// response bigger than that is not kept at all. A failed request is not kept;
// whoever waited on it gets its error. An answer from memory says so
// (`reused`, no bytes on the wire), and the run's stats count it (`pagesReused`).
import type { CompiledCollector } from '../engine/compile.ts';
import { canonicalUrl } from '../discover/canonical-url.ts';
import type { Fetcher, FetchPolicy, FetchRequest, FetchResponse } from './types.ts';

/** What the cache may hold, counted as two bytes a character (JavaScript strings). */
const FETCH_ONCE_MAX_BYTES = 32 * 1024 * 1024;

export class FetchOnce implements Fetcher {
  private readonly kept = new Map<string, { response: FetchResponse; size: number }>();
  private readonly pending = new Map<string, Promise<FetchResponse>>();
  private size = 0;
  /** Answers given from memory or from a request already on the way. */
  hits = 0;

  constructor(
    private readonly inner: Fetcher,
    private readonly maxBytes = FETCH_ONCE_MAX_BYTES,
  ) {}

  async fetch(request: FetchRequest, policy: FetchPolicy, signal?: AbortSignal): Promise<FetchResponse> {
    const key = keyOf(request);
    if (key === undefined) return this.inner.fetch(request, policy, signal);
    const entry = this.kept.get(key);
    if (entry) {
      // Most recently used last: the Map's order is the eviction order.
      this.kept.delete(key);
      this.kept.set(key, entry);
      return this.reused(entry.response);
    }
    const waiting = this.pending.get(key);
    if (waiting) return this.reused(await waiting);
    const started = this.inner.fetch(request, policy, signal);
    this.pending.set(key, started);
    try {
      const response = await started;
      this.keep(key, response);
      return response;
    } finally {
      this.pending.delete(key);
    }
  }

  async close(): Promise<void> {
    this.kept.clear();
    this.size = 0;
    await this.inner.close();
  }

  private reused(response: FetchResponse): FetchResponse {
    this.hits++;
    return { ...response, bytes: 0, attempts: 1, elapsedMs: 0, reused: true };
  }

  private keep(key: string, response: FetchResponse): void {
    const size = sizeOf(key, response);
    if (size > this.maxBytes) return;
    this.kept.set(key, { response, size });
    this.size += size;
    for (const [old, entry] of this.kept) {
      if (this.size <= this.maxBytes) break;
      this.kept.delete(old);
      this.size -= entry.size;
    }
  }
}

/** The cache key of a request that may be answered from memory; undefined for any other. */
function keyOf(request: FetchRequest): string | undefined {
  if ((request.role ?? 'page') !== 'page' || request.method.toUpperCase() !== 'GET' || request.body !== undefined) return undefined;
  let url: string;
  try {
    url = canonicalUrl(request.url);
  } catch {
    return undefined;
  }
  const headers = Object.entries(request.headers)
    .map(([k, v]) => [k.toLowerCase(), v] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `${url}\n${JSON.stringify(headers)}`;
}

function sizeOf(key: string, r: FetchResponse): number {
  let chars = key.length + r.text.length + r.url.length;
  for (const [k, v] of Object.entries(r.headers)) chars += k.length + v.length;
  return chars * 2;
}

/**
 * Outermost in the stack, so an answer from memory skips every layer below (no robots.txt check,
 * no browser, no login): the first request for the page passed them. Only collectors that can ask
 * for a page twice get it: with detail pages, discovery rules or sitemaps.
 */
// (A FetchLayer of core/engine/fetch-stack.ts, typed by its shape: that module lists this one.)
export const fetchOnceLayer = {
  name: 'fetch-once',
  applies: (compiled: CompiledCollector): boolean =>
    compiled.spec.follow !== undefined ||
    compiled.spec.discover !== undefined ||
    compiled.spec.pages !== undefined ||
    compiled.spec.start.sitemaps !== undefined,
  wrap: (inner: Fetcher): Fetcher => new FetchOnce(inner),
};
