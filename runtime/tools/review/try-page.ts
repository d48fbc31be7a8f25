// `collect try`: one page, fetched or replayed, shown request by request: what
// came back, what each field extracted (empty ones marked), which detail link
// each record follows, and where pagination would go next. The quick loop of
// editing a selector and seeing its effect.
import { collectorFetcher } from '../../core/engine/fetch-stack.ts';
import { compileCollector, type CompiledCollector, type CompiledFollow } from '../../core/engine/compile.ts';
import { hostAllowed } from '../../core/engine/follow.ts';
import { buildRequest, detailRequest, detailRequestParts } from '../../core/engine/request.ts';
import { manualRunId } from '../../core/engine/run-id.ts';
import { isFilled } from '../../core/engine/stats.ts';
import type { Task } from '../../core/engine/task.ts';
import { pageFormat } from '../../core/extract/format.ts';
import { parsePage } from '../../core/extract/parse.ts';
import type { DataRecord, ExtractContext, ExtractionError, ParsedPage, RecordValue } from '../../core/extract/types.ts';
import type { FetchRequest, FetchResponse, Fetcher } from '../../core/fetch/types.ts';
import { siteSaysLast, stopAfterPage } from '../../core/paginate/stop.ts';
import type { ResolvedCollector } from '../../language/generated/resolved.types.ts';
import { SecretResolver } from '../../core/secrets.ts';
import { itemCandidates, type ItemCandidate } from './item-candidates.ts';
import { describeSigns, looksScriptRendered, scriptSigns, type ScriptSigns } from './script-rendered.ts';
import { formatDiscovery, type TriedRule, tryDiscovery, trySeeds } from './try-discover.ts';
import { viewFor } from '../../core/discover/view.ts';

export interface TryOptions {
  collector: ResolvedCollector;
  fetcher: Fetcher;
  env: Readonly<Record<string, string | undefined>>;
  /** Instead of the first seed. */
  url?: string;
  vars?: Record<string, string>;
  allowPrivateNetwork?: boolean;
  /** Detail pages fetched (follow), from the first records. Default 1. */
  details?: number;
}

interface TriedRequest {
  method: string;
  url: string;
  status?: number;
  bytes?: number;
  ms: number;
  error?: string;
}

interface TriedRecord {
  index: number;
  record: DataRecord;
  /** The detail page this record would follow. */
  link?: string;
  /** Fields of the detail page, when it was fetched. */
  detail?: { request: TriedRequest; record?: DataRecord; errors: ExtractionError[] };
}

export interface TryResult {
  /** What the collector's layers did first ("logged in (2 steps), took csrf"): names, never values. */
  notes?: string[];
  request: TriedRequest;
  kind?: ParsedPage['kind'];
  /** How the page was read: html, json, xml, csv, tsv (with the delimiter when it is not usual). */
  format?: string;
  /** What was read with trouble but kept (embedded JSON that is not JSON). */
  warnings?: string[];
  records: TriedRecord[];
  errors: ExtractionError[];
  fields: string[];
  detailFields: string[];
  /** Where the paginator goes next (with the body of that request, when it has one), or why it stops. */
  next: { url: string; token?: string | number; body?: string } | { stop: string } | undefined;
  fanOut?: string[];
  /** Present only when `extract.items` matched nothing: what on the page could be the items. */
  unmatchedItems?: { items: string; url: string; candidates: ItemCandidate[]; scripts?: ScriptSigns };
  /** The links each discovery rule of the page's kind takes, and the kind they lead to. */
  discovered?: TriedRule[];
}

export async function tryPage(options: TryOptions): Promise<TryResult> {
  const compiled = compileCollector(options.collector, { allowPrivateNetwork: options.allowPrivateNetwork ?? false });
  const secrets = new SecretResolver(options.env);
  // The page goes through the collector's layers (auth, session, robots.txt) as in a run.
  const notes: string[] = [];
  const note = (text: string) => notes.push(text);
  const fetcher = collectorFetcher(options.fetcher, { compiled, secrets, note, ...(options.vars ? { vars: options.vars } : {}) });
  try {
    const result = await tryWith({ ...options, fetcher }, compiled, secrets);
    return notes.length ? { notes: notes.map((n) => secrets.redact(n)), ...result } : result;
  } finally {
    await fetcher.close();
  }
}

async function tryWith(o: TryOptions, compiled: CompiledCollector, secrets: SecretResolver): Promise<TryResult> {
  const seeds = await trySeeds(compiled, o.fetcher, secrets, manualRunId(), o.vars);
  const first = seeds[0];
  if (!first) throw new Error(`${o.collector.name} has no seed URL`);
  const task: Task = o.url ? { ...first, url: o.url, vars: first.vars } : first;
  // A page of a discovery crawl is tried with its kind's blocks (a sitemap's pages may be another kind).
  compiled = viewFor(compiled, task);
  const request = await buildRequest(
    compiled,
    task,
    { url: task.url, ...(task.token !== undefined ? { token: task.token } : {}) },
    secrets,
  );
  const fields = Object.keys(compiled.spec.extract?.fields ?? {});
  const detailFields = compiled.follow ? Object.keys(compiled.spec.follow?.extract.fields ?? {}) : [];
  const { tried, response } = await timed(o.fetcher, compiled, request);
  const result: TryResult = { request: tried, records: [], errors: [], fields, detailFields, next: undefined };
  // What try shows is the site's data and the request as sent: every secret in it is taken out.
  if (!response) return secrets.scrubValue(result);

  const page = response.acceptedEmpty
    ? undefined
    : parsePage(response.text, response.headers['content-type'], response.url, compiled.spec.parse);
  if (page) result.kind = page.kind;
  if (page) result.format = pageFormat(page);
  const context: ExtractContext = {
    url: response.url,
    fetchedAt: response.fetchedAt,
    runId: task.runId,
    collector: task.collector,
    taskId: task.id,
    vars: task.vars,
  };
  const extracted = page ? compiled.extractor.extract(page, context) : { records: [], errors: [], links: [] };
  result.errors = extracted.errors;
  if (extracted.warnings?.length) result.warnings = extracted.warnings;
  result.records = extracted.records.map((record, index) => {
    const link = linkOf(compiled.follow, record, extracted.links[index], response.url);
    return { index, record, ...(link ? { link } : {}) };
  });
  const discovered = tryDiscovery(compiled, page, task.depth ?? 0);
  if (discovered.length > 0) result.discovered = discovered;
  const items = compiled.spec.extract?.items;
  if (page && items !== undefined && extracted.records.length + extracted.errors.length === 0) {
    const signs = scriptSigns(page);
    result.unmatchedItems = {
      items,
      url: response.url,
      candidates: itemCandidates(page),
      // A page without its items that loads scripts: they are likely rendered by script.
      ...(!o.collector.browser && looksScriptRendered(signs) ? { scripts: signs } : {}),
    };
  }

  const follow = compiled.follow;
  if (follow) {
    const parts = await detailRequestParts(compiled, task, secrets);
    for (const r of result.records.filter((x) => x.link).slice(0, o.details ?? 1)) {
      r.detail = await detail(o.fetcher, compiled, follow, detailRequest(r.link!, parts), context);
    }
  }

  const pagination = compiled.pagination;
  if (pagination) {
    const view = { task, page, response, items: extracted.records.length + extracted.errors.length };
    const fanned = siteSaysLast(view, pagination.spec.stop)
      ? undefined
      : pagination.paginator.fanOut?.(view, compiled.spec.limits.maxPages);
    if (fanned?.length) result.fanOut = fanned.map((p) => p.url);
    const stop = stopAfterPage(view, pagination.spec.stop);
    if (stop) result.next = { stop: stop.kind === 'rule' ? `stop rule ${stop.rule}` : stop.warning };
    else {
      const next = pagination.paginator.next(view);
      // The next page's request as a run would send it: a token inside a JSON body shows in the body.
      const nextRequest = next ? await buildRequest(compiled, task, next, secrets) : undefined;
      result.next = next
        ? {
            url: next.url,
            ...(next.token !== undefined ? { token: next.token } : {}),
            ...(nextRequest?.body !== undefined ? { body: nextRequest.body } : {}),
          }
        : { stop: 'the strategy found no next page' };
    }
  }
  return secrets.scrubValue(result);
}

function linkOf(follow: CompiledFollow | undefined, record: DataRecord, link: string | undefined, from: string): string | undefined {
  if (!follow) return undefined;
  const raw = link ?? (follow.field && typeof record[follow.field] === 'string' ? (record[follow.field] as string) : undefined);
  if (!raw) return undefined;
  try {
    const abs = new URL(raw, from).href;
    return hostAllowed(abs, from, follow) ? abs : undefined;
  } catch {
    return undefined;
  }
}

async function timed(
  fetcher: Fetcher,
  compiled: CompiledCollector,
  request: FetchRequest,
): Promise<{ tried: TriedRequest; response?: FetchResponse }> {
  const started = performance.now();
  try {
    const response = await fetcher.fetch(request, compiled.policy);
    // A replay reports the recorded time, a live fetch its own.
    return {
      tried: { method: request.method, url: request.url, status: response.status, bytes: response.bytes, ms: response.elapsedMs },
      response,
    };
  } catch (err) {
    const status = (err as { status?: unknown }).status;
    return {
      tried: {
        method: request.method,
        url: request.url,
        ms: Math.round(performance.now() - started),
        error: err instanceof Error ? `${err.name}: ${err.message}` : String(err),
        ...(typeof status === 'number' ? { status } : {}),
      },
    };
  }
}

async function detail(
  fetcher: Fetcher,
  compiled: CompiledCollector,
  follow: CompiledFollow,
  request: FetchRequest,
  context: ExtractContext,
): Promise<NonNullable<TriedRecord['detail']>> {
  const { tried, response } = await timed(fetcher, compiled, request);
  if (!response || response.acceptedEmpty) return { request: tried, errors: [] };
  const page = parsePage(response.text, response.headers['content-type'], response.url, follow.parse);
  const extracted = follow.extractor.extract(page, { ...context, url: response.url, fetchedAt: response.fetchedAt });
  return { request: tried, ...(extracted.records[0] ? { record: extracted.records[0] } : {}), errors: extracted.errors };
}

export interface TryFormatOptions {
  /** Records shown; default 5. */
  items?: number;
}

export function formatTry(r: TryResult, o: TryFormatOptions = {}): string {
  const out: string[] = [...(r.notes ?? [])];
  out.push(requestLine(r.request) + (r.format || r.kind ? `, ${r.format ?? r.kind}` : ''));
  if (r.request.error) return `${out.join('\n')}\n`;
  if (r.unmatchedItems) out.push(...unmatchedLines(r.unmatchedItems, r.kind));
  else
    out.push(
      `  ${r.records.length} record${r.records.length === 1 ? '' : 's'}${r.errors.length ? `, ${r.errors.length} item${r.errors.length === 1 ? '' : 's'} dropped` : ''}`,
    );
  const shown = r.records.slice(0, o.items ?? 5);
  for (const t of shown) {
    out.push('', `  item ${t.index + 1}`);
    out.push(...fieldLines(t.record, r.fields, '    '));
    if (t.link) out.push(`    → follow ${t.link}`);
    if (t.detail) {
      out.push(`    ${requestLine(t.detail.request)}`);
      if (t.detail.record) out.push(...fieldLines(t.detail.record, r.detailFields, '      '));
      for (const e of t.detail.errors) out.push(`      ✗ ${e.field}: ${e.message} (the record would be dropped)`);
    }
  }
  if (r.records.length > shown.length) out.push('', `  ... and ${r.records.length - shown.length} more records (--items N shows more)`);
  for (const e of r.errors) out.push(`  ✗ item ${e.item + 1} dropped: field ${e.field}: ${e.message}`);
  for (const w of r.warnings ?? []) out.push(`  ! ${w}`);
  if (r.records.length > 0) {
    const empty = r.fields.filter((f) => r.records.every((t) => !isFilled(t.record[f])));
    if (empty.length) out.push('', `  empty in every record: ${empty.join(', ')} (check their selectors)`);
  }
  out.push('');
  if (r.discovered) out.push(...formatDiscovery(r.discovered), '');
  if (r.fanOut) out.push(`  fan-out: ${r.fanOut.length} more pages as separate tasks, first ${r.fanOut[0]}`);
  if (!r.next) out.push('  next page: no pagination');
  else if ('stop' in r.next) out.push(`  next page: none (${r.next.stop})`);
  else {
    out.push(`  next page: ${r.next.url}${r.next.token !== undefined ? ` (token ${r.next.token})` : ''}`);
    if (r.next.body !== undefined) out.push(`    body ${show(r.next.body)}`);
  }
  return `${out.join('\n')}\n`;
}

function unmatchedLines(u: NonNullable<TryResult['unmatchedItems']>, kind: TryResult['kind']): string[] {
  const lines = [`  items ${JSON.stringify(u.items)} matched nothing on ${u.url}`];
  if (u.scripts)
    lines.push(`  the page loads ${describeSigns(u.scripts)}: its items are likely rendered by script (see them with --browser)`);
  const html = kind === 'html' || kind === 'xml';
  if (u.candidates.length === 0) {
    lines.push(
      html
        ? '  no element repeats on the page (3 or more siblings with the same tag and classes)'
        : '  no array of objects in the document',
    );
    return lines;
  }
  lines.push(
    html
      ? '  elements repeated on the page that could be the items (paste one as extract.items):'
      : '  arrays of objects in the document that could be the items (paste one as extract.items):',
  );
  const width = Math.max(...u.candidates.map((c) => c.items.length));
  for (const c of u.candidates) {
    const what = html
      ? `(${c.count}×)${c.sample ? ` ${JSON.stringify(c.sample)}` : ''}`
      : `(${c.count} object${c.count === 1 ? '' : 's'}${c.sample ? `: ${c.sample}` : ''})`;
    lines.push(`    ${c.items.padEnd(width)}  ${what}`);
  }
  return lines;
}

function requestLine(t: TriedRequest): string {
  if (t.error) return `${t.method} ${t.url} → ${t.error} (${t.ms} ms)`;
  return `${t.method} ${t.url} → ${t.status}, ${t.bytes} bytes, ${t.ms} ms`;
}

function fieldLines(record: DataRecord, declared: string[], indent: string): string[] {
  const names = [...declared, ...Object.keys(record).filter((k) => !declared.includes(k))];
  const width = Math.max(...names.map((n) => n.length));
  return names.map((n) => `${indent}${n.padEnd(width)}  ${isFilled(record[n]) ? show(record[n]!) : '∅ empty'}`);
}

function show(v: RecordValue): string {
  const text = JSON.stringify(v);
  return text.length > 100 ? `${text.slice(0, 99)}…` : text;
}
