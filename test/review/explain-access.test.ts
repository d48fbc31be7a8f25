// What `collect explain` says about access: each kind of auth by where its
// secret comes from (never a value), the proxy without literal credentials, and
// robots.txt obeyed by default or ignored on purpose.
import { describe, expect, it } from 'vitest';
import type { Collector } from '../../runtime/language/generated/collector.types.ts';
import { resolveRequest } from '../../runtime/language/resolve.ts';
import { describeAccess } from '../../runtime/tools/review/explain-access.ts';

const access = (request: Collector['request']) => describeAccess(resolveRequest(request));

describe('explain: access', () => {
  it('by default: no auth, no proxy, robots.txt obeyed', () => {
    const [auth, proxy, robots] = access({});
    expect(auth).toBe('authentication: none (request.auth not set)');
    expect(proxy).toBe('proxy: none, requests go out directly');
    expect(robots).toMatch(
      /^robots.txt: obeyed \(the default\): fetched once per host per run; a disallowed page fails \(RobotsDisallowedError/,
    );
  });

  it('names where each credential comes from, never a value', () => {
    expect(access({ auth: { basic: { username: 'reader', password: '${env:PW}' } } })[0]).toBe(
      'authentication: HTTP Basic, user reader, password from ${env:PW}',
    );
    expect(access({ auth: { bearer: '${ssm:/collect/x/token}' } })[0]).toBe('authentication: bearer token from ${ssm:/collect/x/token}');
    expect(access({ auth: { apiKey: { name: 'api_key', value: '${env:K}', in: 'query' } } })[0]).toBe(
      'authentication: API key in query parameter api_key, from ${env:K} (taken out of response URLs again)',
    );
    expect(access({ auth: { bearer: 'pasted-token-value' } })[0]).toBe(
      'authentication: bearer token from a literal in the YAML (collect validate refuses it)',
    );
    const oauth = access({
      auth: {
        oauth2: { tokenUrl: 'https://auth.example/t', clientId: 'c1', clientSecret: '${env:S}', scope: 'read', clientAuth: 'basic' },
      },
    })[0];
    expect(oauth).toMatch(
      /^authentication: OAuth2 client credentials from https:\/\/auth.example\/t \(client c1, secret from \$\{env:S\}, scope "read", sent as a Basic header\); one token per run/,
    );
  });

  it('shows the proxy without literal credentials, and robots.txt ignored on purpose', () => {
    const [, proxy, robots] = access({ proxy: 'http://bob:hunter2@proxy.example:3128', robots: 'ignore' });
    expect(proxy).toBe(
      "proxy: every request goes through http://proxy.example:3128; the network guard still checks each target's addresses and the proxy's own",
    );
    expect(robots).toMatch(/^robots.txt: IGNORED \(request.robots: ignore, chosen explicitly\)/);
  });
});
