// OAuth 2.0 client credentials grant (RFC 6749 4.4): one token per fetch stack,
// asked for when the first request needs it, kept until shortly before it
// expires (`expires_in`, less a margin), shared by the requests in flight, and
// forgotten when a page answers 401 with it. The token request is the layer's
// own (`role: 'support'`), so it is recorded and replayed like any page.
import { FetchError, HttpStatusError } from './errors.ts';
import type { FetchPolicy, FetchRequest, Fetcher } from './types.ts';

/** The grant's parameters, secrets resolved. */
export interface ClientCredentials {
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  scope?: string;
  audience?: string;
  /** `body`: client_id and client_secret as form fields; `basic`: an Authorization: Basic header. */
  clientAuth: 'body' | 'basic';
}

export interface TokenSourceOptions {
  /** The credentials, resolved when a token is asked for (so a rotated secret is picked up at the next token). */
  credentials: () => Promise<ClientCredentials>;
  /** Told of every value that must be redacted: the token, the Basic credentials. */
  secret: (value: string) => void;
  /** Clock in ms (tests move it). Default Date.now. */
  now?: () => number;
}

/** Refresh this long before `expires_in` runs out, at most: a token must not expire in flight. */
const MAX_MARGIN_MS = 60_000;

/** The token endpoint failed or answered something that is not a token. */
export class OAuth2TokenError extends FetchError {
  override readonly name = 'OAuth2TokenError';
  readonly retryable: boolean;

  constructor(tokenUrl: string, detail: string, retryable: boolean, cause?: unknown) {
    super(`OAuth2 token request to ${tokenUrl} failed: ${detail}`, tokenUrl, { cause });
    this.retryable = retryable;
  }
}

interface Token {
  value: string;
  /** Clock ms after which a new token is asked for. */
  refreshAt: number;
}

export class ClientCredentialsToken {
  /** Token requests made (tests and `try` count them). */
  requests = 0;
  #current: Token | undefined;
  #pending: Promise<Token> | undefined;
  readonly #policies = new WeakMap<FetchPolicy, FetchPolicy>();
  readonly #now: () => number;

  constructor(
    private readonly inner: Fetcher,
    private readonly options: TokenSourceOptions,
  ) {
    this.#now = options.now ?? Date.now;
  }

  /** A valid token: the one kept, or a new one (one request however many callers wait for it). */
  async token(policy: FetchPolicy): Promise<string> {
    const current = this.#current;
    if (current && this.#now() < current.refreshAt) return current.value;
    // Not the caller's abort signal: other requests wait for the same token. The policy's timeout bounds it.
    this.#pending ??= this.#request(policy).finally(() => {
      this.#pending = undefined;
    });
    return (await this.#pending).value;
  }

  /** Forgets `used` after a 401: the next token() asks for a new one. A token already replaced is kept. */
  invalidate(used: string): void {
    if (this.#current?.value === used) this.#current = undefined;
  }

  async #request(policy: FetchPolicy): Promise<Token> {
    const creds = await this.options.credentials();
    const body = new URLSearchParams({ grant_type: 'client_credentials' });
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
    if (creds.clientAuth === 'basic') {
      // RFC 6749 2.3.1: each part form-encoded, then joined and base64-encoded.
      const basic = Buffer.from(`${formEncode(creds.clientId)}:${formEncode(creds.clientSecret)}`, 'utf8').toString('base64');
      this.options.secret(basic);
      headers.authorization = `Basic ${basic}`;
    } else {
      body.set('client_id', creds.clientId);
      body.set('client_secret', creds.clientSecret);
    }
    if (creds.scope) body.set('scope', creds.scope);
    if (creds.audience) body.set('audience', creds.audience);
    const request: FetchRequest = { url: creds.tokenUrl, method: 'POST', headers, body: body.toString(), role: 'support' };
    this.requests++;
    const started = this.#now();
    let text: string;
    try {
      text = (await this.inner.fetch(request, this.#tokenPolicy(policy))).text;
    } catch (err) {
      throw tokenError(creds.tokenUrl, err);
    }
    const token = parseToken(creds.tokenUrl, text, started);
    this.options.secret(token.value);
    this.#current = token;
    return token;
  }

  /** The page policy, with every non-2xx an error: an accepted 404 is no token. */
  #tokenPolicy(policy: FetchPolicy): FetchPolicy {
    let derived = this.#policies.get(policy);
    if (!derived) {
      derived = policy.acceptStatuses.length === 0 ? policy : { ...policy, acceptStatuses: [] };
      this.#policies.set(policy, derived);
    }
    return derived;
  }
}

function formEncode(value: string): string {
  return new URLSearchParams({ v: value }).toString().slice(2);
}

function tokenError(tokenUrl: string, err: unknown): unknown {
  if (err instanceof HttpStatusError) {
    const hint =
      err.status === 400 || err.status === 401 || err.status === 403
        ? '; check request.auth.oauth2 (clientId, clientSecret, scope, audience, clientAuth)'
        : '';
    return new OAuth2TokenError(tokenUrl, `HTTP ${err.status}${hint}`, err.retryable, err);
  }
  if (err instanceof FetchError) return new OAuth2TokenError(tokenUrl, err.message, err.retryable, err);
  // Not the site's answer (an abort, a replay without the request): as it is.
  return err;
}

/** The token of a token response (RFC 6749 5.1), kept until `expires_in` less a margin (a tenth, at most a minute). */
function parseToken(tokenUrl: string, text: string, requestedAt: number): Token {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new OAuth2TokenError(tokenUrl, 'the answer is not JSON (expected {"access_token": ..., "expires_in": ...})', false);
  }
  const fields = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const value = fields.access_token;
  if (typeof value !== 'string' || value === '') {
    throw new OAuth2TokenError(tokenUrl, 'the answer has no access_token', false);
  }
  const type = fields.token_type;
  if (typeof type === 'string' && type.toLowerCase() !== 'bearer') {
    throw new OAuth2TokenError(tokenUrl, `token_type "${type}" is not supported (only Bearer tokens are)`, false);
  }
  const expiresIn = Number(fields.expires_in);
  // No lifetime given (or none readable): kept until a page answers 401.
  if (fields.expires_in === undefined || fields.expires_in === null || !Number.isFinite(expiresIn)) {
    return { value, refreshAt: Number.POSITIVE_INFINITY };
  }
  // Already expired: good for the requests waiting for it, not for the next ones.
  if (expiresIn <= 0) return { value, refreshAt: requestedAt };
  const lifetimeMs = expiresIn * 1000;
  return { value, refreshAt: requestedAt + lifetimeMs - Math.min(MAX_MARGIN_MS, lifetimeMs / 10) };
}
