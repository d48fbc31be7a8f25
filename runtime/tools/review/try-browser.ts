// `collect try --browser`: the same page over plain HTTP and rendered in a
// browser, side by side, so the author sees whether the collector needs a
// browser block (items only the browser finds) or not (the same items either
// way: HTTP is much faster and cheaper). The browser side uses the collector's
// own browser block, or the defaults with a wait for network idle when it has none yet.
import collectorSchema from '../../../schemas/collector.schema.json' with { type: 'json' };
import { isFilled } from '../../core/engine/stats.ts';
import type { ResolvedBrowser, ResolvedCollector } from '../../language/generated/resolved.types.ts';
import { withDefaults, type SchemaNode } from '../../language/defaults.ts';
import { fmt } from './cost.ts';
import { describeSigns } from './script-rendered.ts';
import { formatTry, tryPage, type TryFormatOptions, type TryOptions, type TryResult } from './try-page.ts';

export interface BrowserComparison {
  http: TryResult;
  browser: TryResult;
  /** Whether the collector has a browser block (else the browser side used the defaults). */
  declared: boolean;
  /** The collector's `extract.items`: what a browser block would wait for. */
  items?: string;
}

/**
 * The browser block tried for a collector that has none: the defaults, waiting for the network
 * to go quiet (a script's own requests answered), since no selector is known to wait for.
 */
function trialBrowser(): ResolvedBrowser {
  const schema = collectorSchema as unknown as SchemaNode;
  const defs = schema.$defs as Record<string, SchemaNode>;
  return withDefaults(schema, defs.browser!, { wait: { until: 'networkidle' } }) as ResolvedBrowser;
}

export async function tryBothWays(options: TryOptions): Promise<BrowserComparison> {
  const { browser, ...plain } = options.collector;
  const http = await tryPage({ ...options, collector: plain as ResolvedCollector });
  const rendered = await tryPage({ ...options, collector: { ...options.collector, browser: browser ?? trialBrowser() } });
  const items = options.collector.extract?.items;
  return { http, browser: rendered, declared: browser !== undefined, ...(items !== undefined ? { items } : {}) };
}

export function formatComparison(c: BrowserComparison, o: TryFormatOptions = {}): string {
  const rows: [string, string, string][] = [
    ['', 'over HTTP', 'in the browser'],
    ['page', requestCell(c.http), requestCell(c.browser)],
    ['records', recordsCell(c.http), recordsCell(c.browser)],
    ['empty fields', emptyCell(c.http), emptyCell(c.browser)],
    ['next page', nextCell(c.http), nextCell(c.browser)],
  ];
  const scripts = c.http.unmatchedItems?.scripts;
  if (scripts) rows.push(['scripts', describeSigns(scripts), '']);
  const w0 = Math.max(...rows.map((r) => r[0].length));
  const w1 = Math.max(...rows.map((r) => r[1].length));
  const out = ['Over HTTP and in a browser (collect try --browser)', ''];
  for (const [a, b, d] of rows) out.push(`  ${a.padEnd(w0)}  ${b.padEnd(w1)}  ${d}`.trimEnd());
  out.push('', `  ${verdict(c)}`, '', 'In the browser:', '');
  out.push(formatTry(c.browser, o).trimEnd());
  return `${out.join('\n')}\n`;
}

function verdict(c: BrowserComparison): string {
  const http = c.http.records.length;
  const browser = c.browser.records.length;
  if (c.browser.request.error) return `→ the browser could not load the page: ${c.browser.request.error}`;
  if (browser > http) {
    return c.declared
      ? `→ the browser finds ${browser - http} more record${browser - http === 1 ? '' : 's'}: the collector's browser block is needed`
      : `→ the items are rendered by script: add a browser block, e.g. browser: {wait: {selector: ${JSON.stringify(c.items ?? 'body')}}}; a run then sees the right-hand column`;
  }
  if (browser === http && http > 0) {
    return c.declared
      ? '→ the page holds its items without a browser: the browser block can go (plain HTTP is many times faster and cheaper)'
      : '→ the page holds its items without a browser: this collector needs none';
  }
  if (browser < http) return '→ the browser finds fewer records: check browser.wait (it may read the page before its items are there)';
  return '→ neither finds records: check extract.items on the rendered page (the item candidates below)';
}

function requestCell(r: TryResult): string {
  const t = r.request;
  if (t.error) return `failed (${t.error.split(':')[0]})`;
  return `${t.status}, ${fmt(t.bytes ?? 0)} bytes, ${fmt(t.ms)} ms`;
}

function recordsCell(r: TryResult): string {
  if (r.request.error) return '-';
  if (r.unmatchedItems) return `0 (${JSON.stringify(r.unmatchedItems.items)} matched nothing)`;
  return `${r.records.length}${r.errors.length ? ` (${r.errors.length} dropped)` : ''}`;
}

function emptyCell(r: TryResult): string {
  if (r.records.length === 0) return '-';
  const empty = r.fields.filter((f) => r.records.every((t) => !isFilled(t.record[f])));
  return empty.length ? empty.join(', ') : 'none';
}

function nextCell(r: TryResult): string {
  if (!r.next) return 'no pagination';
  if ('stop' in r.next) return `none (${r.next.stop})`;
  return r.next.url;
}
