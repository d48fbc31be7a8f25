// `request.auth`: the credentials every request of the collector carries,
// added by this fetch layer just before the request goes down the stack.
// The values are the author's request text: their `${env:…}` / `${ssm:…}`
// references are resolved once per stack (the stack lives for a run), and
// what goes on the wire (a Basic pair in base64, a token from a token
// endpoint) is registered with the SecretResolver, so it is redacted from
// everything a run writes. An API key in the query is taken out of the
// response's URL again, so it never reaches a record or a follow-up task.
import type { FetchLayer, StackScope } from '../engine/fetch-stack.ts';
import type { ResolvedCollector } from '../../language/generated/resolved.types.ts';
import type { SecretResolver } from '../secrets.ts';
import { HttpStatusError } from './errors.ts';
import { type ClientCredentials, ClientCredentialsToken } from './oauth2.ts';
import type { FetchPolicy, FetchRequest, FetchResponse, Fetcher } from './types.ts';

export type AuthSpec = NonNullable<ResolvedCollector['request']['auth']>;

/** What a request gets: a header, or a query parameter. */
type Credential = { in: 'header'; name: string; value: string } | { in: 'query'; name: string; value: string };

export interface AuthOptions {
  secrets: SecretResolver;
  /** Values for `{{ NAME }}` in the auth text: the collector's name, its single-valued variables and the run's --var values. */
  vars: Readonly<Record<string, string>>;
  /** Clock in ms for token lifetimes (tests move it). */
  now?: () => number;
}

export const authLayer: FetchLayer = {
  name: 'auth',
  applies: (compiled) => compiled.spec.request.auth !== undefined,
  wrap: (inner: Fetcher, scope: StackScope) =>
    new AuthFetcher(inner, scope.compiled.spec.request.auth!, {
      secrets: scope.secrets,
      vars: { name: scope.compiled.spec.name, ...scope.compiled.constants, ...scope.vars },
    }),
};

export class AuthFetcher implements Fetcher {
  /** Set for `oauth2`: the token and its lifetime. */
  readonly oauth2: ClientCredentialsToken | undefined;
  #credential: Promise<Credential> | undefined;

  constructor(
    private readonly inner: Fetcher,
    private readonly auth: AuthSpec,
    private readonly options: AuthOptions,
  ) {
    const o = auth.oauth2;
    if (o) {
      this.oauth2 = new ClientCredentialsToken(inner, {
        credentials: () => this.#clientCredentials(o),
        secret: (value) => options.secrets.register(value),
        ...(options.now ? { now: options.now } : {}),
      });
    }
  }

  async fetch(request: FetchRequest, policy: FetchPolicy, signal?: AbortSignal): Promise<FetchResponse> {
    if (!this.oauth2) return this.#send(request, await this.#staticCredential(), policy, signal);
    const token = await this.oauth2.token(policy);
    const first = await this.#sendCatching401(request, bearer(token), policy, signal);
    if (!first.unauthorized) return first.response;
    // The token may have been revoked or expired early: one new token, one more try.
    this.oauth2.invalidate(token);
    return this.#send(request, bearer(await this.oauth2.token(policy)), policy, signal);
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  /** The request with the credential, sent; a 401 (thrown, or accepted as an empty page) reported as such. */
  async #sendCatching401(
    request: FetchRequest,
    credential: Credential,
    policy: FetchPolicy,
    signal: AbortSignal | undefined,
  ): Promise<{ unauthorized: false; response: FetchResponse } | { unauthorized: true }> {
    try {
      const response = await this.#send(request, credential, policy, signal);
      return response.status === 401 ? { unauthorized: true } : { unauthorized: false, response };
    } catch (err) {
      if (err instanceof HttpStatusError && err.status === 401) return { unauthorized: true };
      throw err;
    }
  }

  async #send(request: FetchRequest, credential: Credential, policy: FetchPolicy, signal: AbortSignal | undefined): Promise<FetchResponse> {
    if (credential.in === 'header') {
      const headers: Record<string, string> = {};
      // The layer's credential replaces one the request has under any spelling of the name.
      for (const [k, v] of Object.entries(request.headers)) if (k.toLowerCase() !== credential.name) headers[k] = v;
      headers[credential.name] = credential.value;
      return this.inner.fetch({ ...request, headers }, policy, signal);
    }
    const url = new URL(request.url);
    url.searchParams.set(credential.name, credential.value);
    const response = await this.inner.fetch({ ...request, url: url.href }, policy, signal);
    return { ...response, url: withoutParam(response.url, credential) };
  }

  /** basic, bearer or apiKey, resolved once per stack; a failed resolution is tried again by the next request. */
  #staticCredential(): Promise<Credential> {
    this.#credential ??= this.#resolveStatic().catch((err: unknown) => {
      this.#credential = undefined;
      throw err;
    });
    return this.#credential;
  }

  async #resolveStatic(): Promise<Credential> {
    const a = this.auth;
    if (a.basic) {
      const pair = Buffer.from(`${await this.#expand(a.basic.username)}:${await this.#secret(a.basic.password)}`, 'utf8').toString(
        'base64',
      );
      this.options.secrets.register(pair);
      return { in: 'header', name: 'authorization', value: `Basic ${pair}` };
    }
    if (a.bearer !== undefined) return bearer(await this.#secret(a.bearer));
    if (a.apiKey) {
      const value = await this.#secret(a.apiKey.value);
      return a.apiKey.in === 'query'
        ? { in: 'query', name: a.apiKey.name, value }
        : { in: 'header', name: a.apiKey.name.toLowerCase(), value };
    }
    // The schema allows exactly one of the four; oauth2 is handled by fetch().
    throw new Error('request.auth has none of basic, bearer, apiKey, oauth2');
  }

  async #clientCredentials(o: NonNullable<AuthSpec['oauth2']>): Promise<ClientCredentials> {
    return {
      tokenUrl: await this.#expand(o.tokenUrl),
      clientId: await this.#expand(o.clientId),
      clientSecret: await this.#secret(o.clientSecret),
      ...(o.scope !== undefined ? { scope: await this.#expand(o.scope) } : {}),
      ...(o.audience !== undefined ? { audience: await this.#expand(o.audience) } : {}),
      clientAuth: o.clientAuth,
    };
  }

  /** The author's text, references resolved. */
  #expand(text: string): Promise<string> {
    return this.options.secrets.expand(text, this.options.vars);
  }

  /** A credential: a secret whether or not a reference stood for it (lint refuses literals, but a run must not print one). */
  async #secret(text: string): Promise<string> {
    const value = await this.#expand(text);
    this.options.secrets.register(value);
    return value;
  }
}

function bearer(token: string): Credential {
  return { in: 'header', name: 'authorization', value: `Bearer ${token}` };
}

/** A response URL without the API key the layer put in its query. */
function withoutParam(href: string, credential: Credential): string {
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    return href;
  }
  if (url.searchParams.get(credential.name) !== credential.value) return href;
  url.searchParams.delete(credential.name, credential.value);
  return url.href;
}
