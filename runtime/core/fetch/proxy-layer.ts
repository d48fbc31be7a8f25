// `request.proxy`: the author's proxy URL (usually `${env:PROXY_URL}`), resolved
// once per stack and handed down in the policy (`FetchPolicy.proxy`), so every
// layer below (the token request of auth, robots.txt, a browser) and the base
// fetcher go through it. It sits outermost for that reason. The URL and the
// credentials in it are registered as secrets: they are redacted everywhere.
import type { FetchLayer, StackScope } from '../engine/fetch-stack.ts';
import type { SecretResolver } from '../secrets.ts';
import { parseProxyUrl } from './proxy.ts';
import type { FetchPolicy, FetchRequest, FetchResponse, Fetcher } from './types.ts';

export const proxyLayer: FetchLayer = {
  name: 'proxy',
  applies: (compiled) => compiled.spec.request.proxy !== undefined,
  wrap: (inner: Fetcher, scope: StackScope) =>
    new ProxyFetcher(inner, scope.compiled.spec.request.proxy!, scope.secrets, {
      name: scope.compiled.spec.name,
      ...scope.compiled.constants,
      ...scope.vars,
    }),
};

export class ProxyFetcher implements Fetcher {
  #proxy: Promise<string> | undefined;
  readonly #policies = new WeakMap<FetchPolicy, FetchPolicy>();

  constructor(
    private readonly inner: Fetcher,
    private readonly template: string,
    private readonly secrets: SecretResolver,
    private readonly vars: Readonly<Record<string, string>>,
  ) {}

  async fetch(request: FetchRequest, policy: FetchPolicy, signal?: AbortSignal): Promise<FetchResponse> {
    const proxy = await this.#resolved();
    let through = this.#policies.get(policy);
    if (!through) {
      through = { ...policy, proxy };
      this.#policies.set(policy, through);
    }
    return this.inner.fetch(request, through, signal);
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  /** The proxy URL, resolved once; a failed resolution (an SSM hiccup) is tried again by the next request. */
  #resolved(): Promise<string> {
    this.#proxy ??= this.#resolve().catch((err: unknown) => {
      this.#proxy = undefined;
      throw err;
    });
    return this.#proxy;
  }

  async #resolve(): Promise<string> {
    const text = await this.secrets.expand(this.template, this.vars);
    const url = parseProxyUrl(text);
    this.secrets.register(text);
    this.secrets.register(url.href);
    if (url.password) {
      const password = safeDecode(url.password);
      this.secrets.register(url.password);
      this.secrets.register(password);
      // What undici sends the proxy as Proxy-Authorization.
      this.secrets.register(Buffer.from(`${safeDecode(url.username)}:${password}`).toString('base64'));
    }
    return url.href;
  }
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
