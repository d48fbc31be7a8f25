// The Fetcher port: the engine asks for a page, the implementation decides how
// (undici over the network, a HAR replay, a recorder wrapping either).
import type { ResolvedBrowser } from '../../language/generated/resolved.types.ts';

export interface FetchRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: string;
  /**
   * What the request is for: a page of the crawl (the default), or a request a fetch layer makes for
   * itself (robots.txt, a sitemap, a login step, a token). Only pages are rendered in a browser,
   * answered from the fetch-once cache or checked against robots.txt.
   */
  role?: 'page' | 'support';
  /**
   * The session's cookie jar (runtime/core/session/cookie-jar.ts): the base fetcher asks it for the
   * Cookie header of every hop, redirects included, and hands it every hop's Set-Cookie.
   */
  cookies?: CookieHook;
  /**
   * Present when the author's request text uses `${session:NAME}`: the same request built with the
   * session's values. The session layer calls it before sending, and again after a new login.
   */
  withSession?: (values: Readonly<Record<string, string>>) => Promise<FetchRequest>;
  /** A page whose kind asks for a browser (`pages.KIND.browser`): how to render it, and the kind's items (to scroll for more). */
  render?: { browser: ResolvedBrowser; items?: string };
}

/** A cookie jar as a fetcher sees it, per HTTP exchange. */
export interface CookieHook {
  /** The cookies to send to `url` as one Cookie header value, or undefined for none. */
  header(url: string): string | undefined;
  /** The Set-Cookie header values of a response from `url`, one cookie each. */
  store(url: string, setCookies: readonly string[]): void;
}

export interface RetryPolicy {
  /** Retries after the first try. */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** HTTP statuses that are retried; network errors and timeouts always are. */
  statuses: readonly number[];
}

/** Everything about how one request is made, resolved from the collector's `request` block. */
export interface FetchPolicy {
  timeoutMs: number;
  retry: RetryPolicy;
  /** Non-2xx statuses accepted as an empty page instead of an error. */
  acceptStatuses: readonly number[];
  maxResponseBytes: number;
  userAgent: string;
  /** Per host. `perSecond` undefined means no rate limit. */
  rateLimit: { perSecond?: number; concurrency: number };
  /** Opens the network guard entirely (CLI `--allow-private-network`). */
  allowPrivateNetwork: boolean;
  /** Hosts, IPs or CIDR ranges opened although private (spec `network.allow`). */
  allow: readonly string[];
  maxRedirects: number;
  /**
   * An http(s) proxy every request goes through, secrets resolved: the proxy layer
   * (core/fetch/proxy-layer.ts) fills it in from `request.proxy`. Undefined: direct.
   */
  proxy?: string;
}

export interface FetchResponse {
  /** Final URL after redirects. */
  url: string;
  status: number;
  /** Lower-cased header names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  /** Decoded (gunzipped, charset-decoded) body text. */
  text: string;
  /** Bytes received on the wire for this request (all attempts not counted). */
  bytes: number;
  /** Tries made, 1 when the first one succeeded. */
  attempts: number;
  /** True when the status was in `acceptStatuses` (the body is then ignored). */
  acceptedEmpty: boolean;
  fetchedAt: string;
  elapsedMs: number;
  /** True when the fetch-once layer answered from a response it already had (no request was made; `bytes` is 0). */
  reused?: boolean;
}

export interface Fetcher {
  fetch(request: FetchRequest, policy: FetchPolicy, signal?: AbortSignal): Promise<FetchResponse>;
  close(): Promise<void>;
}

/** What a Fetcher reports before each retry, so a run can count and log them. */
export interface FetchRetryInfo {
  /** The URL of the request (the first one, before redirects). */
  url: string;
  /** The try that failed, 1 for the first. */
  attempt: number;
  error: unknown;
  /** How long the fetcher waits before the next try. */
  delayMs: number;
}
