// The Fetcher over undici's pooled `request` API: keep-alive connections,
// a per-host rate limit, a timeout covering headers and body, redirects
// followed by hand so the network guard sees every hop, retries with
// backoff and Retry-After, and bodies decoded under a size cap. A policy with
// a proxy goes through one ProxyAgent per proxy URL, the guard still applied
// (core/fetch/proxy.ts).
import { Agent } from 'undici';
import type { Dispatcher } from 'undici';
import { parseRetryAfter, retryDelay, sleep, timerDelay } from './backoff.ts';
import type { Random } from './backoff.ts';
import { decodeText } from './charset.ts';
import { parseContentEncoding, readBody, type Coding } from './decode.ts';
import {
  HttpStatusError,
  InvalidRequestError,
  RedirectLoopError,
  ResponseTooLargeError,
  TimeoutError,
  TooManyRedirectsError,
  isRetryable,
} from './errors.ts';
import { guardFor, guardedLookup } from './guard.ts';
import type { NetworkGuard, Resolver } from './guard.ts';
import { toFetchError } from './map-error.ts';
import { gunzipFileBody } from './gzip-file.ts';
import { assertProxiedTarget, createProxyAgent, parseProxyUrl } from './proxy.ts';
import { HostRateLimiter } from './rate-limit.ts';
import { isRedirect, nextHop } from './redirect.ts';
import type { Hop } from './redirect.ts';
import type { CookieHook, FetchPolicy, FetchRequest, FetchResponse, FetchRetryInfo, Fetcher } from './types.ts';
import { setCookieValues, withJarCookies } from './cookie-hook.ts';

export const ACCEPT_ENCODING = 'gzip, deflate, br';

/** Error bodies are read this far so the connection can be reused, then dropped. */
const DUMP_LIMIT = 64 * 1024;

export interface HttpFetcherOptions {
  /** Called before each retry. */
  onRetry?: (info: FetchRetryInfo) => void;
  /** Name resolution (default dns.lookup); tests inject one to point names anywhere. */
  resolver?: Resolver;
  /** Jitter source for backoff (default Math.random). */
  random?: Random;
  /** Idle keep-alive connections are closed after this long. Default 4000. */
  keepAliveTimeoutMs?: number;
  /** Time allowed to open a connection (TCP and TLS). Default 10000. */
  connectTimeoutMs?: number;
}

/** Running totals since the fetcher was made. */
export interface FetchStats {
  /** Calls of fetch(). */
  requests: number;
  /** HTTP exchanges made, redirect hops and retries included. */
  exchanges: number;
  retries: number;
  /** fetch() calls that threw. */
  failures: number;
  /** Body bytes received on the wire, all exchanges included. */
  bytes: number;
}

type ExchangeResult = { kind: 'redirect'; location: string; status: number } | { kind: 'response'; response: ExchangeResponse };

export class HttpFetcher implements Fetcher {
  readonly stats: FetchStats = { requests: 0, exchanges: 0, retries: 0, failures: 0, bytes: 0 };
  readonly #limiter = new HostRateLimiter();
  readonly #agents = new Map<string, Dispatcher>();
  readonly #routes = new WeakMap<FetchPolicy, Route>();
  readonly #options: HttpFetcherOptions;
  readonly #random: Random;
  #closed = false;

  constructor(options: HttpFetcherOptions = {}) {
    this.#options = options;
    this.#random = options.random ?? Math.random;
  }

  async fetch(request: FetchRequest, policy: FetchPolicy, signal?: AbortSignal): Promise<FetchResponse> {
    if (this.#closed) throw new Error('HttpFetcher is closed');
    const started = performance.now();
    this.stats.requests += 1;
    let first: Hop;
    try {
      first = {
        url: new URL(request.url),
        method: request.method.toUpperCase(),
        headers: requestHeaders(request, policy),
        body: request.body,
      };
    } catch (err) {
      this.stats.failures += 1;
      throw new InvalidRequestError(request.url, 'not a valid URL', err);
    }
    for (let attempt = 1; ; attempt++) {
      try {
        const response = await this.#follow(first, policy, signal, request.cookies);
        return { ...response, attempts: attempt, elapsedMs: Math.round(performance.now() - started) };
      } catch (err) {
        if (signal?.aborted || !isRetryable(err) || attempt > policy.retry.attempts) {
          this.stats.failures += 1;
          throw signal?.aborted ? signal.reason : err;
        }
        const retryAfterMs = err instanceof HttpStatusError ? err.retryAfterMs : undefined;
        const delayMs = retryDelay(attempt, policy.retry, retryAfterMs, this.#random);
        this.stats.retries += 1;
        this.#options.onRetry?.({ url: request.url, attempt, error: err, delayMs });
        await sleep(delayMs, signal);
      }
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    const agents = [...this.#agents.values()];
    this.#agents.clear();
    await Promise.all(agents.map((agent) => agent.close()));
  }

  /** One try: the request and the redirects it leads to. */
  async #follow(first: Hop, policy: FetchPolicy, signal: AbortSignal | undefined, cookies?: CookieHook): Promise<ExchangeResponse> {
    const { guard, agent, proxy } = this.#routeFor(policy, first.url.href);
    let hop = first;
    let visited: string[] | undefined;
    for (let redirects = 0; ; redirects++) {
      guard.assertUrl(hop.url);
      if (proxy) await assertProxiedTarget(guard, proxy, hop.url, this.#options.resolver);
      const result = await this.#exchange(agent, hop, policy, signal, cookies);
      if (result.kind === 'response') return result.response;
      visited ??= [`${first.method} ${first.url.href}`];
      const next = nextHop(hop, result.status, result.location);
      const key = `${next.method} ${next.url.href}`;
      if (visited.includes(key)) throw new RedirectLoopError([...visited, key].map(stripMethod));
      visited.push(key);
      if (redirects + 1 > policy.maxRedirects) throw new TooManyRedirectsError(visited.map(stripMethod), policy.maxRedirects);
      hop = next;
    }
  }

  /** One HTTP exchange, inside a rate-limit slot and under the timeout. */
  async #exchange(
    agent: Dispatcher,
    hop: Hop,
    policy: FetchPolicy,
    signal: AbortSignal | undefined,
    cookies?: CookieHook,
  ): Promise<ExchangeResult> {
    const host = hop.url.host;
    await this.#limiter.acquire(host, policy.rateLimit, signal);
    this.stats.exchanges += 1;
    const url = hop.url.href;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new TimeoutError(url, policy.timeoutMs)), timerDelay(policy.timeoutMs));
    const onAbort = signal ? () => controller.abort(signal.reason) : undefined;
    if (onAbort) signal!.addEventListener('abort', onAbort, { once: true });
    try {
      const res = await agent.request({
        origin: hop.url.origin,
        path: hop.url.pathname + hop.url.search,
        method: hop.method as Dispatcher.HttpMethod,
        headers: cookies ? withJarCookies(hop.headers, cookies.header(url)) : hop.headers,
        body: hop.body,
        signal: controller.signal,
      });
      // Every hop's cookies, a redirect's included: a login often sets its session on the 302.
      cookies?.store(url, setCookieValues(res.headers['set-cookie']));
      return await this.#handle(res, hop, policy);
    } catch (err) {
      if (signal?.aborted) throw signal.reason;
      throw toFetchError(err, url, policy.timeoutMs);
    } finally {
      clearTimeout(timer);
      if (onAbort) signal!.removeEventListener('abort', onAbort);
      this.#limiter.release(host);
    }
  }

  async #handle(res: Dispatcher.ResponseData, hop: Hop, policy: FetchPolicy): Promise<ExchangeResult> {
    const url = hop.url.href;
    const status = res.statusCode;
    const headers = flattenHeaders(res.headers);
    if (isRedirect(status) && headers.location !== undefined) {
      await dump(res.body);
      return { kind: 'redirect', location: headers.location, status };
    }
    const ok = status >= 200 && status < 300;
    if (!ok) {
      await dump(res.body);
      if (policy.acceptStatuses.includes(status)) {
        return {
          kind: 'response',
          response: { url, status, headers, text: '', bytes: 0, acceptedEmpty: true, fetchedAt: new Date().toISOString() },
        };
      }
      const retryable = policy.retry.statuses.includes(status);
      throw new HttpStatusError(url, status, retryable, retryable ? parseRetryAfterHeader(headers['retry-after']) : undefined);
    }
    if (hop.method === 'HEAD' || status === 204 || status === 205) {
      await dump(res.body);
      return {
        kind: 'response',
        response: { url, status, headers, text: '', bytes: 0, acceptedEmpty: false, fetchedAt: new Date().toISOString() },
      };
    }
    const declared = headers['content-length'] === undefined ? undefined : Number(headers['content-length']);
    if (declared !== undefined && declared > policy.maxResponseBytes) {
      discard(res.body);
      throw new ResponseTooLargeError(url, policy.maxResponseBytes, 'declared content-length');
    }
    let codings: Coding[];
    try {
      codings = parseContentEncoding(headers['content-encoding'], url);
    } catch (err) {
      discard(res.body);
      throw err;
    }
    const { data, rawBytes } = await readBody(res.body, { url, maxBytes: policy.maxResponseBytes, codings });
    this.stats.bytes += rawBytes;
    const text = decodeText(gunzipFileBody(data, url, policy.maxResponseBytes), headers['content-type']);
    return {
      kind: 'response',
      response: { url, status, headers, text, bytes: rawBytes, acceptedEmpty: false, fetchedAt: new Date().toISOString() },
    };
  }

  /** The guard and pool for a policy; policies are long-lived objects, so this is a WeakMap hit per request. */
  #routeFor(policy: FetchPolicy, url: string): Route {
    let route = this.#routes.get(policy);
    if (route === undefined) {
      const guard = guardFor(policy);
      if (policy.proxy === undefined) route = { guard, agent: this.#agentFor(policy, guard) };
      else {
        let proxy: URL;
        try {
          proxy = parseProxyUrl(policy.proxy);
        } catch (err) {
          throw new InvalidRequestError(url, err instanceof Error ? err.message : String(err), err);
        }
        route = { guard, agent: this.#proxyAgentFor(proxy, policy, guard), proxy };
      }
      this.#routes.set(policy, route);
    }
    return route;
  }

  /** One ProxyAgent per proxy URL and guard setting (the guard checks the proxy's name when it connects). */
  #proxyAgentFor(proxy: URL, policy: FetchPolicy, guard: NetworkGuard): Dispatcher {
    const key = `${policy.allowPrivateNetwork ? '*' : policy.allow.join('\n')}\u0000${proxy.href}`;
    let agent = this.#agents.get(key);
    if (agent === undefined) {
      agent = createProxyAgent(proxy, guard, {
        resolver: this.#options.resolver,
        keepAliveTimeoutMs: this.#options.keepAliveTimeoutMs ?? 4_000,
        connectTimeoutMs: this.#options.connectTimeoutMs ?? 10_000,
      });
      this.#agents.set(key, agent);
    }
    return agent;
  }

  /** One pool per guard setting: the guard sits in the connector, and pools outlive requests. */
  #agentFor(policy: FetchPolicy, guard: NetworkGuard): Dispatcher {
    const key = policy.allowPrivateNetwork ? '*' : policy.allow.join('\n');
    let agent = this.#agents.get(key);
    if (agent === undefined) {
      // Open pools too: a name may resolve to a metadata endpoint, which nothing opens.
      const lookup = guardedLookup(guard, this.#options.resolver);
      agent = new Agent({
        keepAliveTimeout: this.#options.keepAliveTimeoutMs ?? 4_000,
        // No per-origin connection cap: the per-host limiter already bounds what is in flight,
        // so the pool grows to exactly the collector's concurrency and no further.
        connect: { timeout: this.#options.connectTimeoutMs ?? 10_000, lookup },
      });
      this.#agents.set(key, agent);
    }
    return agent;
  }
}

interface Route {
  guard: NetworkGuard;
  agent: Dispatcher;
  /** The proxy requests go through, if any. */
  proxy?: URL;
}

type ExchangeResponse = Omit<FetchResponse, 'attempts' | 'elapsedMs'>;

function stripMethod(key: string): string {
  return key.slice(key.indexOf(' ') + 1);
}

function requestHeaders(request: FetchRequest, policy: FetchPolicy): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name of Object.keys(request.headers)) headers[name.toLowerCase()] = request.headers[name]!;
  headers['user-agent'] ??= policy.userAgent;
  headers['accept-encoding'] ??= ACCEPT_ENCODING;
  return headers;
}

function flattenHeaders(raw: Record<string, string | string[] | undefined>): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name of Object.keys(raw)) {
    const value = raw[name];
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

function parseRetryAfterHeader(value: string | undefined): number | undefined {
  return value === undefined ? undefined : parseRetryAfter(value);
}

/** Reads and drops a body we do not need, so the connection goes back to the pool. */
async function dump(body: Dispatcher.ResponseData['body']): Promise<void> {
  try {
    await body.dump({ limit: DUMP_LIMIT });
  } catch {
    // A body that fails while being dropped only costs its connection.
  }
}

/** Closes a body we will not read; its connection is dropped, not reused. */
function discard(body: Dispatcher.ResponseData['body']): void {
  // undici reports a destroyed body as an 'error' event: nobody else is listening.
  body.on('error', () => {}).destroy();
}
