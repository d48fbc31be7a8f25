// Builds the HTTP request of a task's page from the spec, the task's
// variables and the pagination token. The author's text is expanded here, at
// the last moment (secrets resolved, so they never sit in a task, a message or
// a log); the token and the page's URL are data, added as they are.
import type { FetchRequest } from '../fetch/types.ts';
import { render } from '../../language/template.ts';
import { pageValues, placeInForm, placeInHeaders, placeInJson, placeInUrl, type Placed } from '../paginate/placement.ts';
import type { RequestExpander } from '../secrets.ts';
import { usesSessionValues } from '../session/values.ts';
import type { CompiledCollector } from './compile.ts';
import { markToSend } from './incremental-param.ts';
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
  secrets: RequestExpander,
  /** The run's incremental state, for `records.incremental.param`; without it a run with no mark yet is assumed. */
  incremental?: { baseline(): Promise<string | null> },
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
  // Strategy parameters that go with every page (its fixed ones, a page size, and the token) and the
  // incremental mark. They are data: added after the author's text is expanded, never expanded themselves.
  const incrementalSpec = compiled.spec.records.incremental;
  const mark = await markToSend(incrementalSpec, incremental);
  const placed: Placed[] = [...(mark ? [mark] : []), ...(pagination ? pageValues(pagination.strategy, pagination.spec, at.token) : [])];
  placeInUrl(target, placed);

  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(spec.headers)) headers[k.toLowerCase()] = await secrets.expand(v, vars);
  placeInHeaders(headers, placed);

  const request: FetchRequest = { url: target.href, method: spec.method, headers };
  // A page kind with its own browser block is rendered though the collector's other pages are not.
  if (compiled.spec.browser) request.render = { browser: compiled.spec.browser, ...itemsOf(compiled) };
  const wantsBody = slot?.in === 'body' || incrementalSpec?.param?.in === 'body';
  if (spec.body?.json !== undefined || (wantsBody && !spec.body?.form)) {
    const body = ((await expandDeep(spec.body?.json ?? {}, vars, secrets)) ?? {}) as Record<string, unknown>;
    placeInJson(body, placed);
    request.body = JSON.stringify(body);
    headers['content-type'] ??= 'application/json';
  } else if (spec.body?.form) {
    const form = new URLSearchParams();
    for (const [k, v] of Object.entries(spec.body.form)) form.set(k, await secrets.expand(String(v), vars));
    placeInForm(form, placed);
    request.body = form.toString();
    headers['content-type'] ??= 'application/x-www-form-urlencoded';
  }
  // `${session:NAME}` is filled in by the session layer, which builds the request again with its values.
  const bound = secrets.withSession;
  if (bound && usesSessionValues(spec))
    request.withSession = (values) => buildRequest(compiled, task, at, bound.call(secrets, values), incremental);
  return request;
}

/** What every detail page request carries: the collector's headers and query, secrets resolved once per task. */
export interface DetailRequestParts {
  headers: Record<string, string>;
  query: [string, string][];
  /** The parts again with a session's values, when the request text uses `${session:NAME}`. */
  withSession?: (values: Readonly<Record<string, string>>) => Promise<DetailRequestParts>;
}

export async function detailRequestParts(compiled: CompiledCollector, task: Task, secrets: RequestExpander): Promise<DetailRequestParts> {
  const vars = templateVars(compiled, task);
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(compiled.spec.request.headers)) headers[k.toLowerCase()] = await secrets.expand(v, vars);
  const query: [string, string][] = [];
  for (const [k, v] of Object.entries(compiled.spec.request.query)) query.push([k, await secrets.expand(String(v), vars)]);
  const bound = secrets.withSession;
  if (!bound || !usesSessionValues(compiled.spec.request)) return { headers, query };
  return { headers, query, withSession: (values) => detailRequestParts(compiled, task, bound.call(secrets, values)) };
}

/** Detail pages are plain GETs with the collector's headers and query parameters (those the link lacks). */
export function detailRequest(url: string, parts: DetailRequestParts): FetchRequest {
  const again = parts.withSession;
  if (again)
    return {
      ...detailRequest(url, { headers: parts.headers, query: parts.query }),
      withSession: async (v) => detailRequest(url, await again(v)),
    };
  if (parts.query.length === 0) return { url, method: 'GET', headers: parts.headers };
  const target = new URL(url);
  for (const [k, v] of parts.query) if (!target.searchParams.has(k)) target.searchParams.set(k, v);
  return { url: target.href, method: 'GET', headers: parts.headers };
}

/** Expands every string of the author's JSON body. */
export async function expandDeep(value: unknown, vars: Readonly<Record<string, string>>, secrets: RequestExpander): Promise<unknown> {
  if (typeof value === 'string') return secrets.expand(value, vars);
  if (Array.isArray(value)) return Promise.all(value.map((v) => expandDeep(v, vars, secrets)));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = await expandDeep(v, vars, secrets);
    return out;
  }
  return value;
}

function itemsOf(compiled: CompiledCollector): { items?: string } {
  const items = compiled.spec.extract?.items;
  return items !== undefined ? { items } : {};
}
