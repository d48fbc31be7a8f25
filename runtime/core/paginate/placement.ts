// The values a page request carries besides the author's text: the strategy's
// token and fixed parameters (a page size, a limit), and the incremental mark.
// All are data: they are put into the request after the author's text was
// expanded, as they are, and never expanded themselves.
import { bodyPath, writeAtPath } from './body-path.ts';
import type { PaginationStrategy, TokenSlot } from './types.ts';
import type { ResolvedPagination } from '../../language/generated/resolved.types.ts';

export interface Placed {
  in: 'query' | 'header' | 'body';
  name: string;
  /** In a JSON body: where the value goes; without it, the top-level field `name`. */
  path?: string[];
  value: string | number;
}

/** A strategy's slot, with the body path when the token goes inside a JSON body (`in: body`, `path`): then the path's last key names it. */
export function slotWithPath(spec: { in: TokenSlot['in']; path?: string | undefined }, param: string | undefined): TokenSlot {
  const path = spec.in === 'body' && spec.path !== undefined ? bodyPath(spec.path) : undefined;
  return { param: path ? path[path.length - 1]! : (param ?? ''), in: spec.in, ...(path ? { path } : {}) };
}

/**
 * The strategy's values for one page: its fixed parameters, and the token when there is one. They go
 * in the token's place; with a body path, beside the token in the same object. A token `in: path`
 * is rendered into the URL by the caller, and the fixed parameters of such a strategy go in the query.
 */
export function pageValues(strategy: PaginationStrategy, spec: ResolvedPagination, token: string | number | undefined): Placed[] {
  const slot = strategy.slot(spec);
  const place = !slot || slot.in === 'path' ? 'query' : slot.in;
  const parent = slot?.path?.slice(0, -1);
  const out: Placed[] = strategy
    .fixedParams(spec)
    .map(([name, value]) => ({ in: place, name, value, ...(parent ? { path: [...parent, name] } : {}) }));
  if (slot && slot.in !== 'path' && token !== undefined)
    out.push({ in: slot.in, name: slot.param, value: token, ...(slot.path ? { path: slot.path } : {}) });
  return out;
}

export function placeInUrl(url: URL, placed: readonly Placed[]): void {
  for (const p of placed) if (p.in === 'query') url.searchParams.set(p.name, String(p.value));
}

export function placeInHeaders(headers: Record<string, string>, placed: readonly Placed[]): void {
  for (const p of placed) if (p.in === 'header') headers[p.name.toLowerCase()] = String(p.value);
}

/** Into a JSON body (already expanded): at its path, replacing what the author wrote there. */
export function placeInJson(body: Record<string, unknown>, placed: readonly Placed[]): void {
  for (const p of placed) if (p.in === 'body') writeAtPath(body, p.path ?? [p.name], p.value);
}

export function placeInForm(form: URLSearchParams, placed: readonly Placed[]): void {
  for (const p of placed) if (p.in === 'body') form.set(p.name, String(p.value));
}
