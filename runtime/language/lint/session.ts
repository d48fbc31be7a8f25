// The `session` block: every `${session:NAME}` must name a value a login step
// takes before it is used, each take must name one source that compiles, a
// login's credentials are references (never literals), and `expired` must say
// how an expired session shows. A login belongs to the run, not to a task: its
// text may use constants and `name`, not a variable with several values.
import { checkJmesPath, checkRegex, checkSelector } from '../../core/extract/check.ts';
import type { Collector, LoginStep, SessionTake } from '../generated/collector.types.ts';
import type { Issue, PathSegment } from '../issue.ts';
import { secretReferences } from '../secret-references.ts';
import { didYouMean } from '../suggest.ts';
import { placeholders } from '../template.ts';
import { isReferencesOnly, isSecretName } from './secrets.ts';

const SOURCES = ['selector', 'path', 'header', 'cookie', 'regex'] as const;
const SECRET_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'x-api-key', 'api-key']);
const LITERAL_HINT = 'use ${env:NAME} or ${ssm:/path}';

interface Text {
  text: string;
  path: PathSegment[];
  /** The header, parameter or field name the text is the value of. */
  name?: string;
  kind?: 'header' | 'query parameter' | 'form field' | 'JSON field';
}

export function lintSession(c: Collector): Issue[] {
  const session = c.session;
  const steps = session?.login ?? [];
  const issues: Issue[] = [];
  const takenBy = new Map<string, number>();
  steps.forEach((step, i) => {
    for (const name of Object.keys(step.take ?? {})) if (!takenBy.has(name)) takenBy.set(name, i);
  });

  steps.forEach((step, i) => {
    const at: PathSegment[] = ['session', 'login', i];
    for (const t of stepTexts(step, at)) {
      issues.push(...sessionReferences(t, takenBy, i));
      issues.push(...literalCredential(t, i));
    }
    issues.push(...empty(step.url, [...at, 'url']));
    issues.push(...placeholderIssues(c, step, at));
    if (step.body !== undefined && (step.method ?? 'GET') === 'GET')
      issues.push({
        path: [...at, 'body'],
        at: 'key',
        message: `login step ${i + 1} sends a body with GET`,
        hint: 'set method: POST (or PUT, PATCH)',
      });
    for (const [name, take] of Object.entries(step.take ?? {})) issues.push(...takeIssues(take, [...at, 'take', name], name));
  });

  for (const t of crawlTexts(c)) issues.push(...sessionReferences(t, takenBy, steps.length));

  const expired = session?.expired;
  if (expired !== undefined) {
    const path: PathSegment[] = ['session', 'expired'];
    if (expired.statuses === undefined && expired.redirectTo === undefined && expired.selector === undefined)
      issues.push({
        path,
        at: 'container',
        message: 'session.expired names no condition',
        hint: 'give statuses (e.g. [401, 403]), redirectTo (a pattern of the login page URL) or selector (the login form)',
      });
    if (session?.login === undefined)
      issues.push({
        path,
        at: 'key',
        message: 'session.expired without session.login: there is no login to run again',
        hint: 'add the login steps under session.login, or remove expired',
      });
    issues.push(...empty(expired.redirectTo, [...path, 'redirectTo']));
    if (expired.redirectTo !== undefined) issues.push(...problem(checkRegex(expired.redirectTo), [...path, 'redirectTo']));
    if (expired.selector !== undefined) issues.push(...problem(checkSelector(expired.selector), [...path, 'selector']));
  }
  return issues;
}

/** `${session:NAME}` in a text used by login step `before` (the crawl: after the last step). */
function sessionReferences(t: Text, takenBy: ReadonlyMap<string, number>, before: number): Issue[] {
  const issues: Issue[] = [];
  const inStep = t.path[0] === 'session';
  for (const ref of secretReferences(t.text)) {
    if (ref.source !== 'session') continue;
    const name = ref.key.trim();
    const step = takenBy.get(name);
    if (step !== undefined && step < before) continue;
    if (step !== undefined) {
      issues.push({
        path: t.path,
        needle: ref.text,
        message: `${ref.text} is used in login step ${before + 1} before it is taken (by step ${step + 1})`,
        hint: `move the step that takes ${name} before this one`,
      });
      continue;
    }
    const known = [...takenBy].filter(([, s]) => s < before).map(([n]) => n);
    issues.push({
      path: t.path,
      needle: ref.text,
      message:
        takenBy.size === 0
          ? `${ref.text}: no login step takes ${name}`
          : `${ref.text}: no ${inStep ? 'earlier ' : ''}login step takes ${name}`,
      hint:
        didYouMean(name, known) ??
        (known.length
          ? `taken: ${known.join(', ')}`
          : `add a step to session.login whose take names it, e.g. take: { ${name}: { selector: "input[name=${name}]", attr: value } }`),
    });
  }
  return issues;
}

function literalCredential(t: Text, step: number): Issue[] {
  if (t.name === undefined || t.kind === undefined) return [];
  const secretName = isSecretName(t.name) || (t.kind === 'header' && SECRET_HEADERS.has(t.name.toLowerCase()));
  if (!secretName || isReferencesOnly(t.text)) return [];
  return [{ path: t.path, message: `literal secret in login step ${step + 1} ${t.kind} "${t.name}"`, hint: LITERAL_HINT }];
}

function takeIssues(take: SessionTake, path: PathSegment[], name: string): Issue[] {
  const sources = SOURCES.filter((s) => take[s] !== undefined);
  const issues: Issue[] = [];
  if (sources.length === 0)
    issues.push({
      path,
      at: 'container',
      message: `take ${name} names no source`,
      hint: 'give one of selector (with attr for an attribute), path (JSON), header, cookie or regex',
    });
  if (sources.length > 1)
    issues.push({ path, at: 'container', message: `take ${name} has several sources (${sources.join(', ')})`, hint: 'give one' });
  if (take.attr !== undefined && take.selector === undefined)
    issues.push({
      path: [...path, 'attr'],
      at: 'key',
      message: '"attr" reads an attribute of the selector\'s element',
      hint: 'add selector:',
    });
  for (const source of ['header', 'cookie', 'regex'] as const) issues.push(...empty(take[source], [...path, source]));
  if (take.selector !== undefined) issues.push(...problem(checkSelector(take.selector), [...path, 'selector']));
  if (take.path !== undefined) issues.push(...problem(checkJmesPath(take.path), [...path, 'path']));
  if (take.regex !== undefined) issues.push(...problem(checkRegex(take.regex), [...path, 'regex']));
  return issues;
}

/** `{{ NAME }}` in a login step: a constant or `name` (a login is the run's, not a task's). */
function placeholderIssues(c: Collector, step: LoginStep, at: PathSegment[]): Issue[] {
  const variables = c.variables ?? {};
  const constants = new Set(['name', ...Object.keys(variables).filter((k) => ['string', 'number'].includes(typeof variables[k]))]);
  const issues: Issue[] = [];
  for (const t of [{ text: step.url, path: [...at, 'url'] }, ...stepTexts(step, at)]) {
    for (const p of placeholders(t.text)) {
      if (constants.has(p.name)) continue;
      const declared = Object.hasOwn(variables, p.name);
      issues.push({
        path: t.path,
        needle: p.text,
        message: declared
          ? `${p.text} in a login step: ${p.name} has several values, and a login is made once for the whole run`
          : `undefined variable "${p.name}" in a login step`,
        hint: declared
          ? 'use a variable with one value'
          : (didYouMean(p.name, constants) ?? 'declare it under variables (one value), or use name'),
      });
    }
  }
  return issues;
}

function* stepTexts(step: LoginStep, at: PathSegment[]): Generator<Text> {
  for (const [k, v] of Object.entries(step.headers ?? {})) yield { text: v, path: [...at, 'headers', k], name: k, kind: 'header' };
  for (const [k, v] of Object.entries(step.query ?? {}))
    yield { text: String(v), path: [...at, 'query', k], name: k, kind: 'query parameter' };
  for (const [k, v] of Object.entries(step.body?.form ?? {}))
    yield { text: String(v), path: [...at, 'body', 'form', k], name: k, kind: 'form field' };
  if (step.body?.json !== undefined) yield* jsonTexts(step.body.json, [...at, 'body', 'json']);
}

function* crawlTexts(c: Collector): Generator<Text> {
  const r = c.request;
  for (const [k, v] of Object.entries(r?.headers ?? {})) yield { text: v, path: ['request', 'headers', k] };
  for (const [k, v] of Object.entries(r?.query ?? {})) yield { text: String(v), path: ['request', 'query', k] };
  for (const [k, v] of Object.entries(r?.body?.form ?? {})) yield { text: String(v), path: ['request', 'body', 'form', k] };
  if (r?.body?.json !== undefined) yield* jsonTexts(r.body.json, ['request', 'body', 'json']);
}

function* jsonTexts(value: unknown, path: PathSegment[], name?: string): Generator<Text> {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
    yield { text: String(value), path, ...(name !== undefined ? { name, kind: 'JSON field' as const } : {}) };
  else if (Array.isArray(value)) for (const [i, v] of value.entries()) yield* jsonTexts(v, [...path, i], name);
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) yield* jsonTexts(v, [...path, k], k);
}

/** An empty string where a name, pattern or URL belongs (the schema leaves lengths to the validator). */
function empty(value: string | undefined, path: PathSegment[]): Issue[] {
  return value !== undefined && value.trim() === '' ? [{ path, message: 'must not be empty' }] : [];
}

function problem(message: string | undefined, path: PathSegment[]): Issue[] {
  return message === undefined ? [] : [{ path, message }];
}
