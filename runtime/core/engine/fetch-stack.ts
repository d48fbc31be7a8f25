// The fetcher a collector's pages go through: the driver's base fetcher (undici,
// a HAR recorder or replayer) under the collector's own layers (auth, session
// and cookies, robots.txt, fetch-once, ...), each a Fetcher wrapping the one
// below. A driver builds one stack per run locally and one per collector and
// run per invocation on Lambda, so what a layer keeps (a cookie jar, a robots.txt
// per host, pages already fetched) lives exactly that long. Layers sit above the
// recorder, so what they send (a login, a token request) is recorded and replayed
// like any page.
import { browserLayer } from '../browser/browser-layer.ts';
import { authLayer } from '../fetch/auth-layer.ts';
import { fetchOnceLayer } from '../fetch/fetch-once.ts';
import { proxyLayer } from '../fetch/proxy-layer.ts';
import { robotsLayer } from '../fetch/robots-layer.ts';
import type { SecretResolver } from '../secrets.ts';
import { sessionLayer } from '../session/session-layer.ts';
import type { Fetcher, FetchPolicy, FetchRequest, FetchResponse } from '../fetch/types.ts';
import type { CompiledCollector } from './compile.ts';

export interface StackScope {
  compiled: CompiledCollector;
  secrets: SecretResolver;
  /** What a layer did that a person trying the collector wants to see ("logged in (2 steps)"); never a value. */
  note?: (text: string) => void;
  /** The run's `--var` values: run-wide text (credentials, a proxy, a login) takes them over the collector's constants. */
  vars?: Readonly<Record<string, string>>;
}

/** One layer: whether the collector needs it, and how it wraps the fetcher below. */
export interface FetchLayer {
  readonly name: string;
  applies(compiled: CompiledCollector): boolean;
  wrap(inner: Fetcher, scope: StackScope): Fetcher;
}

/**
 * The layers, innermost first: a request passes them from the last to the first,
 * then reaches the base fetcher. Each layer module exports its FetchLayer and is
 * listed here once.
 */
const LAYERS: readonly FetchLayer[] = [
  // Innermost: a collector's pages are rendered in Chromium with what every layer above added.
  browserLayer,
  robotsLayer,
  authLayer,
  // Cookies, and the login with the values it takes, for every page and every layer above.
  sessionLayer,
  // Above every layer that sends requests: they all, and the base fetcher, get the policy with the proxy resolved.
  proxyLayer,
  // Last of all: a page the run already has is answered before any layer sees the request again.
  fetchOnceLayer,
];

/** The collector's fetcher over `base`. Closing it releases the layers' own resources, never the base (its driver closes it). */
export function collectorFetcher(base: Fetcher, scope: StackScope): Fetcher {
  let top: Fetcher = new Unclosed(base);
  for (const layer of LAYERS) if (layer.applies(scope.compiled)) top = layer.wrap(top, scope);
  return top;
}

/** The base as the layers see it: their close() passes down the stack and stops here. */
class Unclosed implements Fetcher {
  constructor(private readonly base: Fetcher) {}
  fetch(request: FetchRequest, policy: FetchPolicy, signal?: AbortSignal): Promise<FetchResponse> {
    return this.base.fetch(request, policy, signal);
  }
  async close(): Promise<void> {}
}
