// request.auth against a real local server: what each kind puts on the wire,
// that the values are secrets (redacted), and the OAuth2 client credentials
// token: asked for once, shared, kept until shortly before it expires (a test
// clock moves past it), and asked for again exactly once when a page answers 401.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AuthFetcher, type AuthSpec } from '../../runtime/core/fetch/auth-layer.ts';
import { HttpStatusError } from '../../runtime/core/fetch/errors.ts';
import { HttpFetcher } from '../../runtime/core/fetch/http-fetcher.ts';
import { OAuth2TokenError } from '../../runtime/core/fetch/oauth2.ts';
import type { FetchPolicy, FetchRequest, Fetcher } from '../../runtime/core/fetch/types.ts';
import { REDACTED, SecretResolver } from '../../runtime/core/secrets.ts';
import { startFaultSite, type FaultSite } from '../helpers/fault-site.ts';
import { get, localPolicy } from './support.ts';

let site: FaultSite;
const base = new HttpFetcher();
const policy = localPolicy({ retry: { ...localPolicy().retry, attempts: 0 } });

const ENV = {
  SITE_USER: 'reader',
  SITE_PASSWORD: 'pa:ss/wörd+1',
  API_TOKEN: 'tok_live_0123456789',
  API_KEY: 'key/with+chars=',
  CLIENT_ID: 'client-42',
  CLIENT_SECRET: 'cs_very_secret_value',
};

/** The token endpoint's state: tokens issued, those the API accepts, and the lifetime it announces. */
const issuer = { issued: [] as string[], valid: new Set<string>(), expiresIn: 3600 as number | undefined, bodies: [] as string[] };

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function echo(req: IncomingMessage, res: ServerResponse, url: URL): void {
  json(res, 200, { authorization: req.headers.authorization ?? null, key: req.headers['x-api-key'] ?? null, query: url.search });
}

beforeAll(async () => {
  site = await startFaultSite();
  site.route('/echo/*', (req, res, ctx) => echo(req, res, ctx.url));
  site.route('/oauth/token', (req, res, ctx) => {
    issuer.bodies.push(ctx.body);
    const form = new URLSearchParams(ctx.body);
    const basic = req.headers.authorization === `Basic ${Buffer.from(`${ENV.CLIENT_ID}:${ENV.CLIENT_SECRET}`).toString('base64')}`;
    const inBody = form.get('client_id') === ENV.CLIENT_ID && form.get('client_secret') === ENV.CLIENT_SECRET;
    if (form.get('grant_type') !== 'client_credentials' || !(basic || inBody)) return json(res, 401, { error: 'invalid_client' });
    const token = `access-${issuer.issued.length + 1}-abcdefgh`;
    issuer.issued.push(token);
    issuer.valid.add(token);
    json(res, 200, {
      access_token: token,
      token_type: 'Bearer',
      ...(issuer.expiresIn !== undefined ? { expires_in: issuer.expiresIn } : {}),
    });
  });
  site.route('/api/*', (req, res, ctx) => {
    const token = req.headers.authorization?.replace(/^Bearer /, '') ?? '';
    if (!issuer.valid.has(token)) return json(res, 401, { error: 'invalid_token' });
    json(res, 200, { path: ctx.url.pathname, token });
  });
});
beforeEach(() => {
  site.reset();
  issuer.issued = [];
  issuer.valid = new Set();
  issuer.expiresIn = 3600;
  issuer.bodies = [];
});
afterAll(async () => {
  await base.close();
  await site.close();
});

function auth(spec: AuthSpec, options: { now?: () => number; inner?: Fetcher } = {}) {
  const secrets = new SecretResolver(ENV);
  const fetcher = new AuthFetcher(options.inner ?? base, spec, {
    secrets,
    vars: { name: 't' },
    ...(options.now ? { now: options.now } : {}),
  });
  return { fetcher, secrets };
}

const body = async (f: Fetcher, request: FetchRequest, p: FetchPolicy = policy) =>
  JSON.parse((await f.fetch(request, p)).text) as Record<string, unknown>;

describe('basic, bearer and API keys', () => {
  it('basic sends the pair in base64, and the pair is a secret', async () => {
    const { fetcher, secrets } = auth({ basic: { username: '${env:SITE_USER}', password: '${env:SITE_PASSWORD}' } });
    const seen = await body(fetcher, get(site.at('/echo/a')));
    const pair = Buffer.from(`${ENV.SITE_USER}:${ENV.SITE_PASSWORD}`, 'utf8').toString('base64');
    expect(seen.authorization).toBe(`Basic ${pair}`);
    expect(secrets.redact(`sent Basic ${pair} with ${ENV.SITE_PASSWORD}`)).toBe(`sent Basic ${REDACTED} with ${REDACTED}`);
  });

  it('bearer sends the token, replacing an Authorization header the request had', async () => {
    const { fetcher, secrets } = auth({ bearer: '${env:API_TOKEN}' });
    const seen = await body(fetcher, get(site.at('/echo/b'), { Authorization: 'Bearer stale' }));
    expect(seen.authorization).toBe(`Bearer ${ENV.API_TOKEN}`);
    expect(site.requests[0]!.headers.authorization).toBe(`Bearer ${ENV.API_TOKEN}`);
    expect(secrets.holdsSecret(ENV.API_TOKEN)).toBe(true);
  });

  it('a literal bearer (which lint refuses) is still redacted from what a run writes', async () => {
    const { fetcher, secrets } = auth({ bearer: 'literal-token-value' });
    await body(fetcher, get(site.at('/echo/c')));
    expect(secrets.redact('token literal-token-value')).toBe(`token ${REDACTED}`);
  });

  it('an API key in a header', async () => {
    const { fetcher } = auth({ apiKey: { name: 'X-Api-Key', value: '${env:API_KEY}', in: 'header' } });
    const seen = await body(fetcher, get(site.at('/echo/d')));
    expect(seen.key).toBe(ENV.API_KEY);
    expect(seen.authorization).toBeNull();
  });

  it('an API key in the query, taken out of the response URL again (other parameters kept)', async () => {
    const { fetcher } = auth({ apiKey: { name: 'api_key', value: '${env:API_KEY}', in: 'query' } });
    const res = await fetcher.fetch(get(site.at('/echo/e?page=2')), policy);
    const seen = JSON.parse(res.text) as { query: string };
    expect(new URLSearchParams(seen.query).get('api_key')).toBe(ENV.API_KEY);
    expect(new URLSearchParams(seen.query).get('page')).toBe('2');
    expect(res.url).toBe(site.at('/echo/e?page=2'));
  });

  it('a missing environment variable fails the request, naming it, and is looked up again by the next one', async () => {
    const env: Record<string, string> = {};
    const fetcher = new AuthFetcher(base, { bearer: '${env:LATE_TOKEN}' }, { secrets: new SecretResolver(env), vars: {} });
    await expect(fetcher.fetch(get(site.at('/echo/f')), policy)).rejects.toThrow('environment variable LATE_TOKEN is not set');
    env.LATE_TOKEN = 'now-it-is-set';
    expect((await body(fetcher, get(site.at('/echo/f')))).authorization).toBe('Bearer now-it-is-set');
  });
});

describe('oauth2 client credentials', () => {
  const oauth2 = (over: Partial<NonNullable<AuthSpec['oauth2']>> = {}): AuthSpec => ({
    oauth2: {
      tokenUrl: site.at('/oauth/token'),
      clientId: '${env:CLIENT_ID}',
      clientSecret: '${env:CLIENT_SECRET}',
      clientAuth: 'body',
      ...over,
    },
  });

  it('asks for one token for many pages, concurrent ones included, as a support request; the token is a secret', async () => {
    const roles: (string | undefined)[] = [];
    const spy: Fetcher = {
      fetch: (request, p, signal) => {
        roles.push(request.role);
        return base.fetch(request, p, signal);
      },
      close: async () => {},
    };
    const { fetcher, secrets } = auth(oauth2({ scope: 'read:items', audience: 'https://api.example' }), { inner: spy });
    const results = await Promise.all(Array.from({ length: 5 }, (_, i) => body(fetcher, get(site.at(`/api/${i}`)))));
    await body(fetcher, get(site.at('/api/later')));
    expect(site.hits('/oauth/token')).toBe(1);
    expect(fetcher.oauth2!.requests).toBe(1);
    expect(results.map((r) => r.token)).toEqual(Array(5).fill('access-1-abcdefgh'));
    expect(roles.filter((r) => r === 'support')).toHaveLength(1);
    expect(Object.fromEntries(new URLSearchParams(issuer.bodies[0]!))).toEqual({
      grant_type: 'client_credentials',
      client_id: ENV.CLIENT_ID,
      client_secret: ENV.CLIENT_SECRET,
      scope: 'read:items',
      audience: 'https://api.example',
    });
    const tokenRequest = site.requests.find((r) => r.path === '/oauth/token')!;
    expect(tokenRequest.method).toBe('POST');
    expect(tokenRequest.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(secrets.redact('Bearer access-1-abcdefgh')).toBe(`Bearer ${REDACTED}`);
    expect(secrets.redact(ENV.CLIENT_SECRET)).toBe(REDACTED);
  });

  it('sends the client in a Basic header with clientAuth: basic', async () => {
    const { fetcher, secrets } = auth(oauth2({ clientAuth: 'basic' }));
    expect((await body(fetcher, get(site.at('/api/x')))).token).toBe('access-1-abcdefgh');
    const form = new URLSearchParams(issuer.bodies[0]!);
    expect(form.get('client_secret')).toBeNull();
    const header = site.requests.find((r) => r.path === '/oauth/token')!.headers.authorization!;
    expect(secrets.redact(header)).toBe(`Basic ${REDACTED}`);
  });

  it('keeps the token until shortly before expires_in runs out, then asks again', async () => {
    let now = 1_000_000;
    const { fetcher } = auth(oauth2(), { now: () => now });
    expect((await body(fetcher, get(site.at('/api/1')))).token).toBe('access-1-abcdefgh');
    now += 3_539_000; // 3600 s less the one-minute margin, less one second
    expect((await body(fetcher, get(site.at('/api/2')))).token).toBe('access-1-abcdefgh');
    now += 2_000;
    expect((await body(fetcher, get(site.at('/api/3')))).token).toBe('access-2-abcdefgh');
    expect(site.hits('/oauth/token')).toBe(2);
  });

  it('a short lifetime keeps a tenth of it as the margin', async () => {
    issuer.expiresIn = 100;
    let now = 0;
    const { fetcher } = auth(oauth2(), { now: () => now });
    await body(fetcher, get(site.at('/api/1')));
    now = 89_000;
    await body(fetcher, get(site.at('/api/2')));
    expect(site.hits('/oauth/token')).toBe(1);
    now = 91_000;
    await body(fetcher, get(site.at('/api/3')));
    expect(site.hits('/oauth/token')).toBe(2);
  });

  it('without expires_in, keeps the token until a page answers 401', async () => {
    issuer.expiresIn = undefined;
    let now = 0;
    const { fetcher } = auth(oauth2(), { now: () => now });
    await body(fetcher, get(site.at('/api/1')));
    now = 365 * 24 * 3600_000;
    await body(fetcher, get(site.at('/api/2')));
    expect(site.hits('/oauth/token')).toBe(1);
  });

  it('on a 401 asks for a new token once and tries the page again', async () => {
    const { fetcher } = auth(oauth2());
    await body(fetcher, get(site.at('/api/1')));
    issuer.valid.clear(); // the server revokes access-1
    const seen = await body(fetcher, get(site.at('/api/2')));
    expect(seen.token).toBe('access-2-abcdefgh');
    expect(site.hits('/oauth/token')).toBe(2);
    expect(site.hits('/api/2')).toBe(2);
  });

  it('a page that keeps answering 401 fails after one new token, with the 401', async () => {
    site.route('/denied', (_req, res) => json(res, 401, { error: 'no' }));
    const { fetcher } = auth(oauth2());
    const err = await fetcher.fetch(get(site.at('/denied')), policy).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpStatusError);
    expect((err as HttpStatusError).status).toBe(401);
    expect(site.hits('/oauth/token')).toBe(2);
    expect(site.hits('/denied')).toBe(2);
  });

  it('a 401 accepted as an empty page is refreshed too', async () => {
    const { fetcher } = auth(oauth2());
    await body(fetcher, get(site.at('/api/1')));
    issuer.valid.clear();
    const res = await fetcher.fetch(get(site.at('/api/2')), localPolicy({ acceptStatuses: [401] }));
    expect(res.status).toBe(200);
    expect(site.hits('/oauth/token')).toBe(2);
  });

  it('refused client credentials fail with a message naming the token URL and what to check, not retried', async () => {
    const { fetcher } = auth(oauth2({ clientSecret: 'wrong-secret' }));
    const err = await fetcher.fetch(get(site.at('/api/1')), policy).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OAuth2TokenError);
    expect((err as Error).message).toBe(
      `OAuth2 token request to ${site.at('/oauth/token')} failed: HTTP 401; check request.auth.oauth2 (clientId, clientSecret, scope, audience, clientAuth)`,
    );
    expect((err as OAuth2TokenError).retryable).toBe(false);
    expect(site.hits('/api/1')).toBe(0);
  });

  it('an answer without access_token, or of another token type, is an error', async () => {
    site.route('/oauth/odd', (_req, res) => json(res, 200, { token: 'x' }));
    site.route('/oauth/mac', (_req, res) => json(res, 200, { access_token: 'abcd1234', token_type: 'mac' }));
    await expect(auth(oauth2({ tokenUrl: site.at('/oauth/odd') })).fetcher.fetch(get(site.at('/api/1')), policy)).rejects.toThrow(
      'the answer has no access_token',
    );
    await expect(auth(oauth2({ tokenUrl: site.at('/oauth/mac') })).fetcher.fetch(get(site.at('/api/1')), policy)).rejects.toThrow(
      'token_type "mac" is not supported',
    );
  });
});
