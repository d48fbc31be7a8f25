// Stop rules every strategy shares, and the safety rails that are always on:
// a repeated URL or token, or a page identical to a recent one, ends the chain
// with a warning instead of looping for ever.
import { searchJson } from '../extract/links.ts';
import type { Stop } from '../../language/generated/collector.types.ts';
import { shortHash } from '../hash.ts';
import type { NextPage, PageView } from './types.ts';

/** Fingerprints kept per chain; enough to catch cycles of any practical length. */
const RECENT_LIMIT = 32;

export type StopReason =
  | { kind: 'rule'; rule: 'emptyPage' | 'totalPath' | 'maxPages' | 'end' }
  | { kind: 'loop'; warning: string };

export function pageFingerprint(text: string): string {
  return 'p:' + shortHash(text);
}

export function requestFingerprint(next: NextPage): string {
  return 'r:' + shortHash(next.url, next.token);
}

export function remember(recent: readonly string[], ...prints: string[]): string[] {
  const out = [...recent, ...prints];
  return out.length > RECENT_LIMIT ? out.slice(out.length - RECENT_LIMIT) : out;
}

/** Checks the rules after a page; `maxPagesOverride` is the CLI's `--max-pages`. */
export function stopAfterPage(view: PageView, stop: Stop | undefined, maxPagesOverride?: number): StopReason | undefined {
  if ((stop?.emptyPage ?? true) && view.items === 0) return { kind: 'rule', rule: 'emptyPage' };
  const maxPages = Math.min(stop?.maxPages ?? Infinity, maxPagesOverride ?? Infinity);
  if (view.task.page >= maxPages) return { kind: 'rule', rule: 'maxPages' };
  if (stop?.totalPath && view.page) {
    const total = Number(searchJson(view.page, stop.totalPath));
    if (Number.isFinite(total) && view.task.itemsSeen + view.items >= total) return { kind: 'rule', rule: 'totalPath' };
  }
  return undefined;
}

/** The safety rails, checked before a next page is requested. */
export function loopGuard(recent: readonly string[], next: NextPage, pagePrint: string): StopReason | undefined {
  if (recent.includes(requestFingerprint(next))) {
    return { kind: 'loop', warning: `pagination returned to ${next.url}${next.token !== undefined ? ` (token ${next.token})` : ''}; chain stopped` };
  }
  if (recent.includes(pagePrint)) return { kind: 'loop', warning: 'a page identical to a recent one; chain stopped' };
  return undefined;
}
