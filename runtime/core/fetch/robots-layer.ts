// `request.robots: obey` (the default): before a page of a host is fetched, the
// host's robots.txt is fetched once per stack (a run locally, a collector and
// run per invocation on Lambda) with the collector's User-Agent, redirects
// followed; a page it disallows fails on its own (RobotsDisallowedError, never
// retried) and its Crawl-delay slows the host down. RFC 9309: a 4xx robots.txt
// allows everything, a 5xx or a network error disallows the host for the run.
// Only pages are checked: what the layers make for themselves (`role: 'support'`,
// a token request, robots.txt itself) passes.
import type { FetchLayer } from '../engine/fetch-stack.ts';
import { BlockedAddressError, FetchError, HttpStatusError, InvalidRequestError } from './errors.ts';
import { allowAll, disallowAll, parseRobots, type RobotsRules } from './robots-txt.ts';
import type { FetchPolicy, FetchRequest, FetchResponse, Fetcher } from './types.ts';

/** robots.txt disallows the page. Not retried: it says the same next time. */
export class RobotsDisallowedError extends FetchError {
  override readonly name = 'RobotsDisallowedError';
  readonly retryable = false;
  readonly rule: string;
  readonly robotsUrl: string;

  constructor(url: string, robotsUrl: string, rule: string) {
    super(
      `${url} is disallowed by ${robotsUrl}: ${rule}; leave the page out, or set request.robots: ignore where the site's terms allow it`,
      url,
    );
    this.rule = rule;
    this.robotsUrl = robotsUrl;
  }
}

export const robotsLayer: FetchLayer = {
  name: 'robots',
  applies: (compiled) => compiled.spec.request.robots === 'obey',
  wrap: (inner) => new RobotsFetcher(inner),
};

export class RobotsFetcher implements Fetcher {
  /** Per origin (scheme, host, port: what a robots.txt covers), fetched once. */
  readonly #rules = new Map<string, Promise<RobotsRules>>();
  /** Policies slowed to a host's Crawl-delay, per policy and delay; kept so the fetcher below sees the same objects. */
  readonly #slowed = new WeakMap<FetchPolicy, Map<number, FetchPolicy>>();
  readonly #robotsPolicies = new WeakMap<FetchPolicy, FetchPolicy>();

  constructor(private readonly inner: Fetcher) {}

  async fetch(request: FetchRequest, policy: FetchPolicy, signal?: AbortSignal): Promise<FetchResponse> {
    if (request.role === 'support') return this.inner.fetch(request, policy, signal);
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      // The fetcher below says what is wrong with it.
      return this.inner.fetch(request, policy, signal);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return this.inner.fetch(request, policy, signal);
    const userAgent = headerValue(request.headers, 'user-agent') ?? policy.userAgent;
    let rules: RobotsRules;
    try {
      rules = await abortable(this.#rulesFor(url, userAgent, policy), signal);
    } catch (err) {
      // The host itself may not be asked (the network guard, a proxy that is no URL): the page
      // goes on, to be refused by the fetcher below in its own words.
      if (err instanceof Unaskable) return this.inner.fetch(request, policy, signal);
      throw err;
    }
    const verdict = rules.check(url.href, userAgent);
    if (!verdict.allowed) throw new RobotsDisallowedError(request.url, rules.url, verdict.rule ?? 'a Disallow rule');
    const delay = rules.crawlDelaySeconds(userAgent);
    return this.inner.fetch(request, delay === undefined ? policy : this.#slowedTo(policy, delay), signal);
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  /** The origin's rules: fetched by the first page of the origin, shared by the pages that come meanwhile. */
  #rulesFor(url: URL, userAgent: string, policy: FetchPolicy): Promise<RobotsRules> {
    let rules = this.#rules.get(url.origin);
    if (!rules) {
      rules = this.#fetchRules(`${url.origin}/robots.txt`, userAgent, policy);
      this.#rules.set(url.origin, rules);
      // Not the site's answer (a replay without robots.txt, a closed fetcher): the next page asks again.
      rules.catch(() => this.#rules.delete(url.origin));
    }
    return rules;
  }

  async #fetchRules(robotsUrl: string, userAgent: string, policy: FetchPolicy): Promise<RobotsRules> {
    const request: FetchRequest = {
      url: robotsUrl,
      method: 'GET',
      headers: { 'user-agent': userAgent, accept: 'text/plain, */*;q=0.1' },
      role: 'support',
    };
    try {
      // No abort signal: the pages waiting for these rules are not the one that asked first.
      const response = await this.inner.fetch(request, this.#robotsPolicy(policy));
      return parseRobots(robotsUrl, response.text);
    } catch (err) {
      if (err instanceof HttpStatusError) {
        // 429 asks us to come back later, as a 5xx does: the host is unreachable for now.
        if (err.status >= 400 && err.status < 500 && err.status !== 429) return allowAll(robotsUrl);
        return disallowAll(robotsUrl, `${robotsUrl} answered HTTP ${err.status}`);
      }
      if ((err instanceof BlockedAddressError || err instanceof InvalidRequestError) && sameOrigin(err.url, robotsUrl)) {
        throw new Unaskable(err);
      }
      if (err instanceof FetchError) return disallowAll(robotsUrl, `${robotsUrl} could not be fetched (${err.message})`);
      throw err;
    }
  }

  /** The page policy with every non-2xx an error (an accepted 404 would read as an empty robots.txt; it is one anyway). */
  #robotsPolicy(policy: FetchPolicy): FetchPolicy {
    let derived = this.#robotsPolicies.get(policy);
    if (!derived) {
      derived = policy.acceptStatuses.length === 0 ? policy : { ...policy, acceptStatuses: [] };
      this.#robotsPolicies.set(policy, derived);
    }
    return derived;
  }

  /** The policy with at most one request every `delay` seconds to the host. */
  #slowedTo(policy: FetchPolicy, delaySeconds: number): FetchPolicy {
    const perSecond = 1 / delaySeconds;
    if (policy.rateLimit.perSecond !== undefined && policy.rateLimit.perSecond <= perSecond) return policy;
    let byDelay = this.#slowed.get(policy);
    if (!byDelay) {
      byDelay = new Map();
      this.#slowed.set(policy, byDelay);
    }
    let slowed = byDelay.get(delaySeconds);
    if (!slowed) {
      slowed = { ...policy, rateLimit: { ...policy.rateLimit, perSecond } };
      byDelay.set(delaySeconds, slowed);
    }
    return slowed;
  }
}

/** robots.txt could not even be asked for: not the site's answer, and not kept (the next page asks again). */
class Unaskable extends Error {
  override readonly name = 'Unaskable';
  constructor(cause: FetchError) {
    super(cause.message, { cause });
  }
}

function sameOrigin(a: string, b: string): boolean {
  try {
    return new URL(a).origin === new URL(b).origin;
  } catch {
    return false;
  }
}

function headerValue(headers: Record<string, string>, name: string): string | undefined {
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === name) return v;
  return undefined;
}

/** `promise`, or the signal's reason as soon as it aborts (the promise goes on for the others waiting for it). */
function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      },
    );
  });
}
