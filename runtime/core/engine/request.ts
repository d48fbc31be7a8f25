// Builds the HTTP request of a task's page from the spec, the task's
// variables and the pagination token. The author's text is expanded here, at
// the last moment (secrets resolved, so they never sit in a task, a message or
// a log); the token and the page's URL are data, added as they are.
import type { FetchRequest } from '../fetch/types.ts';
import { render } from '../../language/template.ts';
import type { SecretResolver } from '../secrets.ts';
import type { CompiledCollector } from './compile.ts';
import { builtinVariables } from './plan.ts';
import type { Task } from './task.ts';

function templateVars(compiled: CompiledCollector, task: Pick<Task, 'runId' | 'vars'>): Record<string, string> {
  return { ...builtinVariables(compiled.spec, task.runId), ...compiled.constants, ...task.vars };
}

export interface PageRequest {
  url: string;
  token?: string | number;
}

export async function buildRequest(
  compiled: CompiledCollector,
  task: Task,
  at: PageRequest,
  secrets: SecretResolver,
): Promise<FetchRequest> {
  const spec = compiled.spec.request;
  const vars = templateVars(compiled, task);
  const pagination = compiled.pagination;
  const slot = pagination?.strategy.slot(pagination.spec);
  let url = at.url;
  if (slot?.in === 'path' && task.template && at.token !== undefined)
    url = render(task.template, { ...vars, [slot.param]: String(at.token) });

  const target = new URL(url);
  for (const [k, v] of Object.entries(spec.query)) {
    if (!target.searchParams.has(k)) target.searchParams.set(k, await secrets.expand(String(v), vars));
  }
  // Strategy parameters that go with every page: its fixed ones (a page size), and the token. They are
  // data: added after the author's text is expanded, never expanded themselves.
  const params: [string, string | number][] = pagination ? [...pagination.strategy.fixedParams(pagination.spec)] : [];
  if (slot && slot.in !== 'path' && at.token !== undefined) params.push([slot.param, at.token]);
  const place = slot?.in ?? 'query';
  if (place === 'query' || place === 'path') for (const [k, v] of params) target.searchParams.set(k, String(v));

  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(spec.headers)) headers[k.toLowerCase()] = await secrets.expand(v, vars);
  if (place === 'header') for (const [k, v] of params) headers[k.toLowerCase()] = String(v);

  const request: FetchRequest = { url: target.href, method: spec.method, headers };
  if (spec.body?.json !== undefined || (place === 'body' && !spec.body?.form)) {
    const body = ((await expandDeep(spec.body?.json ?? {}, vars, secrets)) ?? {}) as Record<string, unknown>;
    if (place === 'body') for (const [k, v] of params) body[k] = v;
    request.body = JSON.stringify(body);
    headers['content-type'] ??= 'application/json';
  } else if (spec.body?.form) {
    const form = new URLSearchParams();
    for (const [k, v] of Object.entries(spec.body.form)) form.set(k, await secrets.expand(String(v), vars));
    if (place === 'body') for (const [k, v] of params) form.set(k, String(v));
    request.body = form.toString();
    headers['content-type'] ??= 'application/x-www-form-urlencoded';
  }
  return request;
}

/** What every detail page request carries: the collector's headers and query, secrets resolved once per task. */
export interface DetailRequestParts {
  headers: Record<string, string>;
  query: [string, string][];
}

export async function detailRequestParts(compiled: CompiledCollector, task: Task, secrets: SecretResolver): Promise<DetailRequestParts> {
  const vars = templateVars(compiled, task);
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(compiled.spec.request.headers)) headers[k.toLowerCase()] = await secrets.expand(v, vars);
  const query: [string, string][] = [];
  for (const [k, v] of Object.entries(compiled.spec.request.query)) query.push([k, await secrets.expand(String(v), vars)]);
  return { headers, query };
}

/** Detail pages are plain GETs with the collector's headers and query parameters (those the link lacks). */
export function detailRequest(url: string, parts: DetailRequestParts): FetchRequest {
  if (parts.query.length === 0) return { url, method: 'GET', headers: parts.headers };
  const target = new URL(url);
  for (const [k, v] of parts.query) if (!target.searchParams.has(k)) target.searchParams.set(k, v);
  return { url: target.href, method: 'GET', headers: parts.headers };
}

/** Expands every string of the author's JSON body. */
async function expandDeep(value: unknown, vars: Readonly<Record<string, string>>, secrets: SecretResolver): Promise<unknown> {
  if (typeof value === 'string') return secrets.expand(value, vars);
  if (Array.isArray(value)) return Promise.all(value.map((v) => expandDeep(v, vars, secrets)));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = await expandDeep(v, vars, secrets);
    return out;
  }
  return value;
}
