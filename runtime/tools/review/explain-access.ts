// What `collect explain` says about access: how requests authenticate, whether
// they go through a proxy, and whether robots.txt is obeyed. Only the author's
// text is shown, and of a credential only where it comes from (its references):
// explain never resolves a secret.
import type { ResolvedCollector as Collector } from '../../language/generated/resolved.types.ts';
import { secretReferences } from '../../language/secret-references.ts';

export function describeAccess(request: Collector['request']): string[] {
  return [describeAuth(request.auth), describeProxy(request.proxy), describeRobots(request.robots)];
}

/** Where a credential comes from: its references, never its value. */
function source(text: string): string {
  const refs = secretReferences(text).map((r) => r.text);
  return refs.length > 0 ? refs.join(' and ') : 'a literal in the YAML (collect validate refuses it)';
}

function describeAuth(auth: Collector['request']['auth']): string {
  if (!auth) return 'authentication: none (request.auth not set)';
  if (auth.basic) return `authentication: HTTP Basic, user ${auth.basic.username}, password from ${source(auth.basic.password)}`;
  if (auth.bearer !== undefined) return `authentication: bearer token from ${source(auth.bearer)}`;
  if (auth.apiKey) {
    const where = auth.apiKey.in === 'query' ? `query parameter ${auth.apiKey.name}` : `header ${auth.apiKey.name}`;
    return `authentication: API key in ${where}, from ${source(auth.apiKey.value)} (taken out of response URLs again)`;
  }
  if (auth.oauth2) {
    const o = auth.oauth2;
    const scope = o.scope ? `, scope "${o.scope}"` : '';
    return (
      `authentication: OAuth2 client credentials from ${o.tokenUrl} (client ${o.clientId}, secret from ${source(o.clientSecret)}${scope}, sent as ${o.clientAuth === 'basic' ? 'a Basic header' : 'form fields'}); ` +
      'one token per run, kept until shortly before it expires and asked for again once when a page answers 401; the token is redacted like any secret'
    );
  }
  return 'authentication: none';
}

function describeProxy(proxy: string | undefined): string {
  if (proxy === undefined) return 'proxy: none, requests go out directly';
  const refs = secretReferences(proxy);
  const shown = refs.length > 0 ? proxy : proxy.replace(/\/\/[^/@?#]*@/, '//');
  return `proxy: every request goes through ${shown}; the network guard still checks each target's addresses and the proxy's own`;
}

function describeRobots(robots: Collector['request']['robots']): string {
  if (robots === 'ignore') {
    return "robots.txt: IGNORED (request.robots: ignore, chosen explicitly): disallowed pages are fetched and Crawl-delay is not honoured; check the site's terms";
  }
  return (
    'robots.txt: obeyed (the default): fetched once per host per run; a disallowed page fails (RobotsDisallowedError, not retried), ' +
    'Crawl-delay slows the host, a missing robots.txt (4xx) allows all, an unreachable one (5xx, network error) disallows the host for the run'
  );
}
