// `request.auth` and `request.proxy`: what the schema cannot say. A credential
// written as a literal ends up in git, so it must be a reference; the values
// are resolved once per run, so a placeholder may name only the collector or a
// single-valued variable; a token endpoint gets the client secret, so it must
// be https (plain http only on a loopback address, for tests); a proxy is an
// http(s) URL whose credentials are references too.
import type { Collector } from '../generated/collector.types.ts';
import { displayPath, type Issue, type PathSegment } from '../issue.ts';
import { cidrContains, parseCidr, parseIp, unmapIPv4 } from '../ip.ts';
import { secretReferences, withoutReferences } from '../secret-references.ts';
import { placeholders, renderKnown, withoutPlaceholders } from '../template.ts';
import { isReferencesOnly } from './secrets.ts';

const REFERENCE_HINT = 'write ${env:NAME} (an environment variable) or ${ssm:/path} (an SSM parameter), read when the run starts';
const LOOPBACK_V4 = parseCidr('127.0.0.0/8')!;

type Auth = NonNullable<NonNullable<Collector['request']>['auth']>;

export function lintAuth(c: Collector): Issue[] {
  const r = c.request;
  const issues: Issue[] = [];
  const constants = constantValues(c);
  if (r?.auth) issues.push(...lintCredentials(r.auth, constants), ...overridden(r.auth, r.headers ?? {}, r.query ?? {}));
  if (r?.proxy !== undefined) issues.push(...lintProxy(r.proxy, constants));
  return issues;
}

/** Every text of `auth`, with whether it is a credential (a literal is an error) and its path. */
function* authTexts(auth: Auth): Generator<{ text: string; path: PathSegment[]; secret: boolean }> {
  const at = (...p: PathSegment[]): PathSegment[] => ['request', 'auth', ...p];
  if (auth.basic) {
    yield { text: auth.basic.username, path: at('basic', 'username'), secret: false };
    yield { text: auth.basic.password, path: at('basic', 'password'), secret: true };
  }
  if (auth.bearer !== undefined) yield { text: auth.bearer, path: at('bearer'), secret: true };
  if (auth.apiKey) yield { text: auth.apiKey.value, path: at('apiKey', 'value'), secret: true };
  if (auth.oauth2) {
    const o = auth.oauth2;
    yield { text: o.tokenUrl, path: at('oauth2', 'tokenUrl'), secret: false };
    yield { text: o.clientId, path: at('oauth2', 'clientId'), secret: false };
    yield { text: o.clientSecret, path: at('oauth2', 'clientSecret'), secret: true };
    if (o.scope !== undefined) yield { text: o.scope, path: at('oauth2', 'scope'), secret: false };
    if (o.audience !== undefined) yield { text: o.audience, path: at('oauth2', 'audience'), secret: false };
  }
}

function lintCredentials(auth: Auth, constants: Readonly<Record<string, string>>): Issue[] {
  const issues: Issue[] = [];
  for (const { text, path } of authTexts(auth)) issues.push(...placeholderIssues(text, path, constants));
  for (const { text, path, secret } of authTexts(auth)) {
    if (text.trim() === '') {
      issues.push({ path, message: `${path.at(-1)} is empty`, hint: secret ? REFERENCE_HINT : 'write its value' });
    } else if (secret && !isReferencesOnly(text)) {
      issues.push({ path, message: `literal secret in ${displayPath(path)}: put it in \${env:…}`, hint: REFERENCE_HINT });
    }
  }
  if (auth.bearer !== undefined && /^\s*bearer\s/i.test(auth.bearer)) {
    issues.push({
      path: ['request', 'auth', 'bearer'],
      message: 'bearer is the token alone: the "Bearer " before it is added when the request is sent',
      hint: `write bearer: "${auth.bearer.trim().replace(/^bearer\s+/i, '')}"`,
    });
  }
  if (auth.apiKey && auth.apiKey.name.trim() === '') {
    issues.push({
      path: ['request', 'auth', 'apiKey', 'name'],
      message: 'name is empty',
      hint: 'write the header or query parameter, e.g. X-Api-Key',
    });
  }
  if (auth.oauth2) issues.push(...lintTokenUrl(auth.oauth2.tokenUrl, constants));
  return issues;
}

/** Auth and proxy text is resolved once per run, not per task: only the collector's name and single-valued variables fill it. */
function placeholderIssues(text: string, path: PathSegment[], constants: Readonly<Record<string, string>>): Issue[] {
  const issues: Issue[] = [];
  // A placeholder inside a reference's name is the reference's; it is rendered with the same values.
  for (const p of placeholders(text)) {
    if (p.name === 'name' || constants[p.name] !== undefined) continue;
    issues.push({
      path,
      needle: p.text,
      message: `${p.text} cannot be used here: credentials and the proxy are resolved once per run, before any task`,
      hint: 'use {{ name }}, a variable with a single value, or a ${env:…} / ${ssm:…} reference',
    });
  }
  return issues;
}

function lintTokenUrl(tokenUrl: string, constants: Readonly<Record<string, string>>): Issue[] {
  const path = ['request', 'auth', 'oauth2', 'tokenUrl'];
  const url = literalUrl(tokenUrl, constants);
  if (url === undefined) return [];
  if (url === 'invalid')
    return [{ path, message: `tokenUrl "${tokenUrl}" is not a URL`, hint: 'write https://auth.example.com/oauth/token' }];
  if (url.protocol === 'https:') return [];
  if (url.protocol === 'http:' && isLoopback(url.hostname)) return [];
  return [
    {
      path,
      message: `tokenUrl must be https: the client secret is sent to it (${url.protocol}//${url.host} is not)`,
      hint: 'use https://…; plain http only for a loopback address (a local test server)',
    },
  ];
}

function lintProxy(proxy: string, constants: Readonly<Record<string, string>>): Issue[] {
  const path = ['request', 'proxy'];
  const issues = placeholderIssues(proxy, path, constants);
  if (proxy.trim() === '') return [...issues, { path, message: 'proxy is empty', hint: 'write ${env:PROXY_URL} or http://host:port' }];
  const url = literalUrl(proxy, constants);
  if (url === undefined) return issues;
  if (url === 'invalid' || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    issues.push({
      path,
      message: `proxy must be an http or https URL${url === 'invalid' ? '' : `, not ${url.protocol}`}`,
      hint: 'write http://proxy.example.com:3128, or ${env:PROXY_URL}',
    });
    return issues;
  }
  const userinfo = /^[a-z][a-z0-9+.-]*:\/\/([^/@?#]*)@/i.exec(proxy)?.[1];
  if (userinfo?.includes(':') && !isReferencesOnly(userinfo.slice(userinfo.indexOf(':') + 1))) {
    issues.push({
      path,
      needle: userinfo,
      message: 'literal credentials in request.proxy',
      hint: 'write http://user:${env:PROXY_PASSWORD}@host:port, or ${env:PROXY_URL}',
    });
  }
  return issues;
}

/**
 * The URL a text makes once its known placeholders are filled, when its scheme and host are literal;
 * undefined when a reference or an unknown placeholder stands there (nothing to judge before the run).
 */
function literalUrl(text: string, constants: Readonly<Record<string, string>>): URL | 'invalid' | undefined {
  const rendered = renderKnown(text.trim(), constants);
  const head = /^[^/]*\/\/[^/?#]*/.exec(rendered)?.[0] ?? rendered;
  if (secretReferences(head).length > 0 || placeholders(head).length > 0) return undefined;
  // References and placeholders further on (a path, the password) stand for text.
  const probe = withoutPlaceholders(withoutReferences(rendered, 'x'), 'x');
  try {
    return new URL(probe);
  } catch {
    return 'invalid';
  }
}

function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  const ip = parseIp(host);
  if (ip === undefined) return false;
  const plain = unmapIPv4(ip);
  return plain.version === 4 ? cidrContains(LOOPBACK_V4, plain) : plain.words.every((w, i) => w === (i === 7 ? 1 : 0));
}

/** A header or query parameter the author wrote that the auth layer replaces. */
function overridden(auth: Auth, headers: Record<string, string>, query: Record<string, unknown>): Issue[] {
  const issues: Issue[] = [];
  const headerName = auth.apiKey ? (auth.apiKey.in === 'query' ? undefined : auth.apiKey.name) : 'authorization';
  for (const name of Object.keys(headers)) {
    if (headerName !== undefined && name.toLowerCase() === headerName.toLowerCase()) {
      issues.push({
        path: ['request', 'headers', name],
        at: 'key',
        severity: 'warning',
        message: `header "${name}" is replaced by request.auth on every request`,
        hint: 'remove it: request.auth sends the credentials',
      });
    }
  }
  if (auth.apiKey?.in === 'query' && Object.hasOwn(query, auth.apiKey.name)) {
    issues.push({
      path: ['request', 'query', auth.apiKey.name],
      at: 'key',
      severity: 'warning',
      message: `query parameter "${auth.apiKey.name}" is replaced by request.auth.apiKey on every request`,
      hint: 'remove it: request.auth sends the key',
    });
  }
  return issues;
}

function constantValues(c: Collector): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, v] of Object.entries(c.variables ?? {})) if (typeof v === 'string' || typeof v === 'number') out[name] = String(v);
  return out;
}
