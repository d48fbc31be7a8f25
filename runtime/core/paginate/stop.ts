// Stop rules every strategy shares, and the safety rails that are always on:
// a repeated URL or token, or a page identical to a recent one, ends the chain
// with a warning instead of looping for ever.
import { searchJson } from '../extract/links.ts';
import type { ResolvedStop } from '../../language/generated/resolved.types.ts';
import { shortHash } from '../hash.ts';
import type { NextPage, PageView } from './types.ts';

/** Fingerprints kept per chain; enough to catch cycles of any practical length. */
const RECENT_LIMIT = 32;

export type StopReason =
  | { kind: 'rule'; rule: 'emptyPage' | 'totalPath' | 'maxPages' | 'hasMore' | 'done' | 'end' }
  | { kind: 'loop'; warning: string };

/**
 * Whether a has-more or last-page flag says yes: `true`, a number above 0, or the string "true"
 * (any case). Anything else says no: false, 0, null, a missing value, other strings, lists, objects.
 */
export function flagSaysYes(value: unknown): boolean {
  if (value === true) return true;
  if (typeof value === 'number') return value > 0;
  return typeof value === 'string' && value.trim().toLowerCase() === 'true';
}

/** The site's own answer, from `stop.hasMore` or `stop.done`: the rule that ends the chain after this page, if one does. */
export function siteSaysLast(view: Pick<PageView, 'page'>, stop: ResolvedStop): 'hasMore' | 'done' | undefined {
  // A page accepted as empty (no body to read) has no flag: missing, so hasMore stops and done does not.
  const read = (expression: string) => (view.page ? searchJson(view.page, expression) : undefined);
  if (stop.hasMore !== undefined && !flagSaysYes(read(stop.hasMore))) return 'hasMore';
  if (stop.done !== undefined && flagSaysYes(read(stop.done))) return 'done';
  return undefined;
}

export function pageFingerprint(text: string): string {
  return `p:${shortHash(text)}`;
}

export function requestFingerprint(next: NextPage): string {
  return `r:${shortHash(next.url, next.token)}`;
}

export function remember(recent: readonly string[], ...prints: string[]): string[] {
  const out = [...recent, ...prints];
  return out.length > RECENT_LIMIT ? out.slice(out.length - RECENT_LIMIT) : out;
}

/** Checks the rules after a page; `maxPagesOverride` is the CLI's `--max-pages`. */
export function stopAfterPage(view: PageView, stop: ResolvedStop, maxPagesOverride?: number): StopReason | undefined {
  if (stop.emptyPage && view.items === 0) return { kind: 'rule', rule: 'emptyPage' };
  const maxPages = Math.min(stop.maxPages ?? Infinity, maxPagesOverride ?? Infinity);
  if (view.task.page >= maxPages) return { kind: 'rule', rule: 'maxPages' };
  if (stop.totalPath && view.page) {
    const total = Number(searchJson(view.page, stop.totalPath));
    if (Number.isFinite(total) && view.task.itemsSeen + view.items >= total) return { kind: 'rule', rule: 'totalPath' };
  }
  const flag = siteSaysLast(view, stop);
  if (flag) return { kind: 'rule', rule: flag };
  return undefined;
}

/** The safety rails, checked before a next page is requested. */
export function loopGuard(recent: readonly string[], next: NextPage, pagePrint: string): StopReason | undefined {
  if (recent.includes(requestFingerprint(next))) {
    return {
      kind: 'loop',
      warning: `pagination returned to ${next.url}${next.token !== undefined ? ` (token ${next.token})` : ''}; chain stopped`,
    };
  }
  if (recent.includes(pagePrint)) return { kind: 'loop', warning: 'a page identical to a recent one; chain stopped' };
  return undefined;
}

/** For `collect explain`: the stop rules every strategy shares, and the rails that are always on. */
export function describeStops(stop: ResolvedStop): string[] {
  const stops: string[] = [];
  if (stop.emptyPage) stops.push('a page has no items (stop.emptyPage)');
  if (stop.totalPath) stops.push(`the items seen reach \`${stop.totalPath}\` (stop.totalPath)`);
  if (stop.hasMore) stops.push(`\`${stop.hasMore}\` is not true: false, 0, null or missing (stop.hasMore)`);
  if (stop.done) stops.push(`\`${stop.done}\` is true (stop.done)`);
  if (stop.maxPages) stops.push(`${stop.maxPages} pages (stop.maxPages)`);
  return stops;
}

export const ALWAYS_STOPS = 'always: a repeated URL or token, or a page identical to a recent one, ends the chain with a warning';
