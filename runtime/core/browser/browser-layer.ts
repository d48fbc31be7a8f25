// The browser layer: the innermost of a collector's fetch stack. A page of a
// collector with a `browser` block is loaded in headless Chromium and answered
// with its rendered DOM (page.content()), the status of its main response and
// its final URL, so extraction, pagination and follow work on it as on any
// HTML page. Everything else (robots.txt, a login, a token: role 'support')
// and every collector without `browser` goes to the fetcher below, unchanged.
//
// What a rendered page gets from the layers above: their headers (auth) on its
// same-origin requests, their Cookie header (session) as cookies of the
// context. What guards it: route interception (resource kinds blocked, every
// URL checked by the network guard, names resolved and checked) and the guard
// proxy (guard-proxy.ts) that every connection of the context goes through, so
// redirects and re-resolved names are checked too. What bounds it: the
// collector's rate limit per host (rate-limit.ts) on page loads, which also
// bounds the pages open at once; the timeout of request.timeoutSeconds until
// the first byte, browser.wait.timeoutSeconds until it is ready; retries as for
// HTTP pages. One browser per process (browser-process.ts), one context per
// stack (closed with it), tabs reused a while and then closed (page-pool.ts).
import type { BrowserContext, Page, Request, Response, Route } from 'playwright-core';
import { usesBrowser } from '../../language/browser-function.ts';
import type { ResolvedBrowser, ResolvedCollector } from '../../language/generated/resolved.types.ts';
import type { FetchLayer, StackScope } from '../engine/fetch-stack.ts';
import { parseRetryAfter, retryDelay, sleep, timerDelay } from '../fetch/backoff.ts';
import {
  BlockedAddressError,
  HttpStatusError,
  InvalidRequestError,
  isRetryable,
  ResponseTooLargeError,
  TimeoutError,
} from '../fetch/errors.ts';
import { guardFor, type NetworkGuard, type Resolver } from '../fetch/guard.ts';
import { HostRateLimiter } from '../fetch/rate-limit.ts';
import type { FetchPolicy, FetchRequest, FetchResponse, Fetcher } from '../fetch/types.ts';
import { acquireBrowser, BrowserLaunchError, releaseBrowser } from './browser-process.ts';
import { BrowserNavigationError, BrowserUnavailableError } from './errors.ts';
import { GuardProxy, type Refusal } from './guard-proxy.ts';
import { PagePool } from './page-pool.ts';
import { browserHeaders, sameOrigin, type BrowserHeaders } from './request-headers.ts';
import { resolvedVerdict, type ResolvedRefusal } from './route-guard.ts';
import { clickForMore, scrollForMore, waitUntilReady } from './settle.ts';

type Env = Readonly<Record<string, string | undefined>>;

export interface BrowserFetcherOptions {
  /** Name resolution for the guard (default dns.lookup); tests point names anywhere. */
  resolver?: Resolver;
  /** Where the Chromium executable is looked up (COLLECT_CHROMIUM_PATH, AWS_LAMBDA_FUNCTION_NAME). Default process.env. */
  env?: Env;
}

/** Running totals of one stack, for `try`, the bench and the cost model. */
export interface BrowserStats {
  pages: number;
  /** Wall time of the page loads, from the request to the DOM read. */
  renderMs: number;
  scrolls: number;
  clicks: number;
  /** Requests of the pages the guard refused. */
  refused: number;
  /** Requests not made because their kind is blocked (browser.block). */
  blocked: number;
}

/** What the route handler knows of the page a request belongs to. */
interface PageRequestInfo {
  url: string;
  headers: BrowserHeaders;
}

interface ContextState {
  context: BrowserContext;
  proxy: GuardProxy;
  pages: PagePool;
}

/** Every page of a collector with a top-level `browser` block is rendered; of a collector without, the pages of kinds with one. */
export const browserLayer: FetchLayer = {
  name: 'browser',
  applies: (compiled) => usesBrowser(compiled.spec),
  wrap: (inner, scope) => new BrowserFetcher(inner, scope),
};

export class BrowserFetcher implements Fetcher {
  readonly stats: BrowserStats = { pages: 0, renderMs: 0, scrolls: 0, clicks: 0, refused: 0, blocked: 0 };
  readonly #inner: Fetcher;
  /** The top-level block: every page is rendered with it unless its request names its kind's (`render`). */
  readonly #spec: ResolvedBrowser | undefined;
  /** The settings of the context (viewport, blocked kinds of requests): the top-level block's, else the first kind's. */
  readonly #settings: ResolvedBrowser;
  readonly #items: string | undefined;
  readonly #guard: NetworkGuard;
  readonly #policy: FetchPolicy;
  readonly #options: BrowserFetcherOptions;
  readonly #limiter = new HostRateLimiter();
  readonly #pages = new WeakMap<Page, PageRequestInfo>();
  readonly #blocked: ReadonlySet<string>;
  /** Verdicts on names, per host, for as long as the context lives. */
  readonly #resolved = new Map<string, Promise<ResolvedRefusal | undefined>>();
  #state: Promise<ContextState> | undefined;
  #closed = false;

  constructor(inner: Fetcher, scope: StackScope, options: BrowserFetcherOptions = {}) {
    const spec = scope.compiled.spec.browser;
    const first = browserSpecs(scope.compiled.spec)[0];
    if (!first) throw new Error(`collector ${scope.compiled.spec.name} has no browser block`);
    this.#inner = inner;
    this.#spec = spec;
    this.#settings = first;
    this.#items = scope.compiled.spec.extract?.items;
    this.#policy = scope.compiled.policy;
    this.#guard = guardFor(scope.compiled.policy);
    this.#options = options;
    this.#blocked = new Set(first.block);
  }

  async fetch(request: FetchRequest, policy: FetchPolicy, signal?: AbortSignal): Promise<FetchResponse> {
    const render = request.render ?? (this.#spec ? { browser: this.#spec, items: this.#items } : undefined);
    if ((request.role ?? 'page') !== 'page' || !render) return this.#inner.fetch(request, policy, signal);
    if (this.#closed) throw new Error('BrowserFetcher is closed');
    // (The lint refuses both; a stack built from an unchecked collector still fails clearly.)
    if (policy.proxy !== undefined) {
      throw new InvalidRequestError(
        request.url,
        'a browser does not go through request.proxy yet; remove request.proxy or the browser block',
      );
    }
    if (request.method.toUpperCase() !== 'GET' || request.body !== undefined) {
      throw new InvalidRequestError(
        request.url,
        'a browser loads pages with GET and no body; remove request.method and request.body, or the browser block',
      );
    }
    let url: URL;
    try {
      url = new URL(request.url);
    } catch (err) {
      throw new InvalidRequestError(request.url, 'not a valid URL', err);
    }
    this.#guard.assertUrl(url);
    const started = performance.now();
    for (let attempt = 1; ; attempt++) {
      try {
        const response = await this.#render(url, request, policy, signal, render);
        return { ...response, attempts: attempt, elapsedMs: Math.round(performance.now() - started) };
      } catch (err) {
        if (signal?.aborted) throw signal.reason;
        if (!isRetryable(err) || attempt > policy.retry.attempts) throw err;
        const retryAfterMs = err instanceof HttpStatusError ? err.retryAfterMs : undefined;
        await sleep(retryDelay(attempt, policy.retry, retryAfterMs), signal);
      }
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const state = this.#state;
    this.#state = undefined;
    if (state) {
      const opened = await state.catch(() => undefined);
      if (opened) {
        await opened.context.close().catch(() => {});
        await opened.proxy.close();
        await releaseBrowser();
      }
    }
    await this.#inner.close();
  }

  /** One try: a page in its rate-limit slot, loaded, settled, read and closed. */
  async #render(
    url: URL,
    request: FetchRequest,
    policy: FetchPolicy,
    signal: AbortSignal | undefined,
    render: { browser: ResolvedBrowser; items?: string | undefined },
  ): Promise<Omit<FetchResponse, 'attempts' | 'elapsedMs'>> {
    const { context, proxy, pages } = await this.#context(url.href);
    const headers = browserHeaders(url.href, withJarCookies(request, url.href));
    if (headers.cookies.length) await context.addCookies(headers.cookies);
    await this.#limiter.acquire(url.host, policy.rateLimit, signal);
    const started = performance.now();
    let page: Page | undefined;
    let clean = false;
    const onAbort = () => void page?.close().catch(() => {});
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      page = await pages.take();
      this.#pages.set(page, { url: url.href, headers });
      const main = await this.#navigate(page, url.href, policy, proxy);
      const status = main.status();
      const responseHeaders = await main.allHeaders();
      // The session's jar learns what the page's own response set, as it would from an HTTP page.
      if (request.cookies) request.cookies.store(main.url(), await main.headerValues('set-cookie'));
      if (status < 200 || status >= 300) {
        clean = true;
        if (policy.acceptStatuses.includes(status)) return this.#empty(page.url(), status, responseHeaders);
        const retryable = policy.retry.statuses.includes(status);
        const retryAfter = retryable ? parseRetryAfter(responseHeaders['retry-after']) : undefined;
        throw new HttpStatusError(main.url(), status, retryable, retryAfter);
      }
      const { browser: spec, items } = render;
      await waitUntilReady(page, spec.wait, url.href, performance.now());
      if (spec.scroll) this.stats.scrolls += await scrollForMore(page, spec.scroll, items);
      if (spec.click) this.stats.clicks += await clickForMore(page, spec.click, items);
      const text = await page.content();
      const bytes = Buffer.byteLength(text);
      clean = true;
      if (bytes > policy.maxResponseBytes) throw new ResponseTooLargeError(page.url(), policy.maxResponseBytes, 'body');
      this.stats.pages += 1;
      return {
        url: page.url(),
        status,
        headers: renderedHeaders(responseHeaders),
        text,
        bytes,
        acceptedEmpty: false,
        fetchedAt: new Date().toISOString(),
      };
    } finally {
      signal?.removeEventListener('abort', onAbort);
      this.stats.renderMs += performance.now() - started;
      if (page) {
        this.#pages.delete(page);
        await pages.give(page, clean && !signal?.aborted);
      }
      this.#limiter.release(url.host);
    }
  }

  /** The main response, or the fetch error a failed navigation stands for. */
  async #navigate(page: Page, url: string, policy: FetchPolicy, proxy: GuardProxy): Promise<Response> {
    let main: Response | null;
    try {
      main = await page.goto(url, { waitUntil: 'commit', timeout: timerDelay(policy.timeoutMs) });
    } catch (err) {
      const refusal = proxy.refusalOf(url) ?? proxy.refusalOf(page.url());
      if (refusal) throw refusedPage(url, refusal);
      if (err instanceof Error && err.name === 'TimeoutError') throw new TimeoutError(url, policy.timeoutMs, err);
      const detail = err instanceof Error ? (err.message.split('\n')[0] ?? err.message) : String(err);
      throw new BrowserNavigationError(url, detail, !/ERR_BLOCKED_BY_CLIENT|ERR_INVALID_URL|ERR_UNSAFE/.test(detail), { cause: err });
    }
    if (!main) throw new BrowserNavigationError(url, 'no response for the page', true);
    // The proxy answers a refused hop (a redirect into a private address) with its own 403.
    const refusal = proxy.refusalOf(main.url());
    if (refusal && main.status() === 403) throw refusedPage(url, refusal);
    return main;
  }

  #empty(url: string, status: number, headers: Record<string, string>): Omit<FetchResponse, 'attempts' | 'elapsedMs'> {
    return { url, status, headers, text: '', bytes: 0, acceptedEmpty: true, fetchedAt: new Date().toISOString() };
  }

  /** The stack's context and proxy, made on its first page. */
  #context(firstUrl: string): Promise<ContextState> {
    this.#state ??= this.#open().catch((err: unknown) => {
      this.#state = undefined;
      if (err instanceof BrowserLaunchError) throw new BrowserUnavailableError(firstUrl, err.message, { cause: err });
      throw err;
    });
    return this.#state;
  }

  async #open(): Promise<ContextState> {
    const browser = await acquireBrowser(this.#options.env);
    let proxy: GuardProxy | undefined;
    try {
      proxy = await GuardProxy.start(this.#guard, this.#options.resolver, () => {
        this.stats.refused += 1;
      });
      const context = await browser.newContext({
        proxy: { server: proxy.server },
        userAgent: this.#policy.userAgent,
        viewport: { width: this.#settings.viewport.width, height: this.#settings.viewport.height },
        // Service workers' requests bypass routing; a crawl needs none of them.
        serviceWorkers: 'block',
        acceptDownloads: false,
      });
      const guardProxy = proxy;
      await context.route('**/*', (route, request) => this.#route(route, request, guardProxy));
      return { context, proxy, pages: new PagePool(context) };
    } catch (err) {
      await proxy?.close();
      await releaseBrowser();
      throw err;
    }
  }

  /** Every request of every page: blocked kinds aborted, the guard asked, the request's headers added on its origin. */
  async #route(route: Route, request: Request, proxy: GuardProxy): Promise<void> {
    try {
      if (this.#blocked.has(request.resourceType())) {
        this.stats.blocked += 1;
        await route.abort('blockedbyclient');
        return;
      }
      const url = request.url();
      const refusal = await this.#refusal(url);
      if (refusal) {
        proxy.noteRefusal({ url, address: refusal.address, reason: refusal.reason, metadata: refusal.metadata });
        await route.abort('blockedbyclient');
        return;
      }
      const info = pageInfo(request, this.#pages);
      if (info && sameOrigin(url, info.url) && (Object.keys(info.headers.extra).length || info.headers.userAgent)) {
        const headers = { ...request.headers(), ...info.headers.extra };
        if (info.headers.userAgent) headers['user-agent'] = info.headers.userAgent;
        await route.continue({ headers });
      } else {
        await route.continue();
      }
    } catch {
      // The page was closed while its request waited here (a timeout, an interrupted run).
    }
  }

  /** Why the guard refuses `url`, or undefined when it may be loaded. */
  async #refusal(raw: string): Promise<BlockedAddressError | undefined> {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      return new BlockedAddressError(raw, raw, 'not a valid URL');
    }
    // The page's own data: and blob: resources never leave the browser.
    if (url.protocol === 'data:' || url.protocol === 'blob:') return undefined;
    const verdict = this.#guard.checkUrl(url);
    if (!verdict.allowed) return new BlockedAddressError(raw, url.hostname, verdict.reason, verdict.metadata ?? false);
    if (!verdict.resolve) return undefined;
    let pending = this.#resolved.get(url.hostname);
    if (!pending) {
      pending = resolvedVerdict(this.#guard, url.hostname, this.#options.resolver);
      this.#resolved.set(url.hostname, pending);
    }
    const refusal = await pending;
    return refusal && new BlockedAddressError(raw, refusal.address, refusal.reason, refusal.metadata);
  }
}

/** The request's headers with the session jar's cookies for `url` (the session layer hands its jar down, not a header). */
function withJarCookies(request: FetchRequest, url: string): Readonly<Record<string, string>> {
  const fromJar = request.cookies?.header(url);
  if (!fromJar) return request.headers;
  const own = Object.entries(request.headers).find(([name]) => name.toLowerCase() === 'cookie')?.[1];
  return { ...request.headers, cookie: own ? `${own}; ${fromJar}` : fromJar };
}

/** The page's error for a refusal of its main document (or of a hop of its redirects). */
function refusedPage(url: string, refusal: Refusal): BlockedAddressError {
  return new BlockedAddressError(url, refusal.address, refusal.reason, refusal.metadata);
}

function pageInfo(request: Request, pages: WeakMap<Page, PageRequestInfo>): PageRequestInfo | undefined {
  try {
    return pages.get(request.frame().page());
  } catch {
    // A request without a frame (a service worker's): no page headers.
    return undefined;
  }
}

/** The main response's headers, with what describes its bytes replaced: the text is now the rendered DOM. */
function renderedHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (name !== 'content-length' && name !== 'content-encoding' && name !== 'content-type') out[name] = value;
  }
  out['content-type'] = 'text/html; charset=utf-8';
  return out;
}

/** The browser blocks of a collector: the top-level one first, then its page kinds'. */
function browserSpecs(spec: ResolvedCollector): ResolvedBrowser[] {
  const kinds = Object.values(spec.pages ?? {}).flatMap((k) => (k.browser ? [k.browser] : []));
  return spec.browser ? [spec.browser, ...kinds] : kinds;
}
