// Secrets are written as `${env:NAME}` or `${ssm:/path}` and resolved when a
// request is made; a literal token in a collector file ends up in git, in
// tasks and in logs. These checks catch the usual places one is pasted.
import type { Collector } from '../generated/collector.types.ts';
import type { Issue, PathSegment } from '../issue.ts';
import { secretReferences, withoutReferences } from '../secret-references.ts';
import { withoutPlaceholders } from '../template.ts';

const HINT = 'use ${env:NAME} or ${ssm:/path}';
const SECRET_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'x-api-key', 'api-key']);
const SECRET_WORDS = ['token', 'secret', 'password', 'apikey', 'api_key'];

export function isSecretName(name: string): boolean {
  const n = name.toLowerCase().replace(/-/g, '_');
  return SECRET_WORDS.some((w) => n.includes(w));
}

/**
 * True when a value holds nothing literal but references, an auth scheme before
 * one (`Bearer ${env:T}`), cookie names before one (`sid=${env:S}`) and separators.
 */
export function isReferencesOnly(value: string): boolean {
  // Each reference and placeholder becomes a NUL marker (no real header, cookie or token holds one): the regexes below match NUL on purpose.
  const marked = withoutPlaceholders(withoutReferences(value, '\u0000'), '\u0000');
  // biome-ignore lint/suspicious/noControlCharactersInRegex: NUL marks where a reference was (see above).
  const scheme = /^\s*[A-Za-z][\w-]*\s+(?=\u0000)/;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: NUL marks where a reference was (see above).
  const cookieName = /[A-Za-z0-9_.-]+=(?=\u0000)/g;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: NUL marks where a reference was (see above).
  const separators = /[\u0000;,\s]/g;
  return marked.replace(scheme, '').replace(cookieName, '').replace(separators, '') === '';
}

export function lintSecrets(c: Collector): Issue[] {
  const issues: Issue[] = [];
  const literal = (path: PathSegment[], what: string): Issue => ({ path, message: `literal secret in ${what}`, hint: HINT });
  const r = c.request;
  for (const [name, value] of Object.entries(r?.headers ?? {})) {
    if ((SECRET_HEADERS.has(name.toLowerCase()) || isSecretName(name)) && !isReferencesOnly(value)) {
      issues.push(literal(['request', 'headers', name], `header "${name}"`));
    }
  }
  for (const [group, entries] of [
    ['query', r?.query],
    ['form', r?.body?.form],
  ] as const) {
    for (const [name, value] of Object.entries(entries ?? {})) {
      if (isSecretName(name) && !isReferencesOnly(String(value))) {
        const path = group === 'query' ? ['request', 'query', name] : ['request', 'body', 'form', name];
        issues.push(literal(path, `${group === 'query' ? 'query parameter' : 'form field'} "${name}"`));
      }
    }
  }
  (c.start.urls ?? []).forEach((url, i) => {
    issues.push(...urlSecrets(url, ['start', 'urls', i]));
  });
  for (const [name, value] of Object.entries(c.variables ?? {})) {
    if (typeof value === 'string' && isSecretName(name) && !isReferencesOnly(value) && secretReferences(value).length === 0) {
      issues.push(literal(['variables', name], `variable "${name}"`));
    }
  }
  issues.push(...referencesOutsideRequest(c));
  return issues;
}

/**
 * References are resolved only in the request's headers, query and body, where
 * the author wrote them: a variable's value is inserted as text (never read for
 * references), and a URL travels in tasks, queue messages and checkpoints.
 */
function referencesOutsideRequest(c: Collector): Issue[] {
  const issues: Issue[] = [];
  const walk = (value: unknown, path: PathSegment[]): void => {
    if (isLoginRequestText(path)) return;
    if (typeof value === 'string') {
      for (const ref of secretReferences(value)) {
        issues.push({
          path,
          needle: ref.text,
          message: `${ref.text} is not resolved here: secrets are resolved only in request.headers, request.query and request.body`,
          hint:
            path[0] === 'start' || path[0] === 'variables'
              ? `send it as a query parameter or a header instead, e.g. request: { query: { api_key: "${ref.text}" } }`
              : 'move it into request.headers, request.query or request.body',
        });
      }
    } else if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) walk(value[i], [...path, i]);
    } else if (value !== null && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) walk(v, [...path, k]);
    }
  };
  for (const [key, value] of Object.entries(c)) if (key !== 'request') walk(value, [key]);
  return issues;
}

/** A login step's headers, query or body (`session.login[i]`): request text too (lint/session.ts checks it). */
function isLoginRequestText(path: readonly PathSegment[]): boolean {
  return path.length === 4 && path[0] === 'session' && path[1] === 'login' && ['headers', 'query', 'body'].includes(String(path[3]));
}

function urlSecrets(url: string, path: PathSegment[]): Issue[] {
  const issues: Issue[] = [];
  const userinfo = /^[a-z][a-z0-9+.-]*:\/\/([^/@?#]*)@/i.exec(url);
  if (userinfo && userinfo[1]!.includes(':') && !isReferencesOnly(userinfo[1]!.replace(':', ' '))) {
    issues.push({ path, needle: userinfo[1]!, message: 'literal credentials in the URL', hint: `${HINT} in an Authorization header` });
  }
  const q = url.indexOf('?');
  if (q < 0) return issues;
  const query = url.slice(q + 1).split('#')[0]!;
  for (const pair of query.split('&')) {
    const eq = pair.indexOf('=');
    const name = safeDecode(eq < 0 ? pair : pair.slice(0, eq));
    const value = eq < 0 ? '' : safeDecode(pair.slice(eq + 1));
    if (value !== '' && isSecretName(name) && !isReferencesOnly(value)) {
      issues.push({ path, needle: pair, message: `literal secret in the URL's query parameter "${name}"`, hint: HINT });
    }
  }
  return issues;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}
