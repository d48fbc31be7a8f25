// `collect try`: one page, fetched or replayed, shown request by request: what
// came back, what each field extracted (empty ones marked), which detail link
// each record follows, and where pagination would go next. The quick loop of
// editing a selector and seeing its effect.
import { collectorFetcher } from '../../core/engine/fetch-stack.ts';
import { compileCollector, type CompiledCollector, type CompiledFollow } from '../../core/engine/compile.ts';
import { hostAllowed } from '../../core/engine/follow.ts';
import { planSeeds } from '../../core/engine/plan.ts';
import { buildRequest, detailRequest, detailRequestParts } from '../../core/engine/request.ts';
import { manualRunId } from '../../core/engine/run-id.ts';
import { isFilled } from '../../core/engine/stats.ts';
import type { Task } from '../../core/engine/task.ts';
import { parsePage } from '../../core/extract/parse.ts';
import type { DataRecord, ExtractContext, ExtractionError, ParsedPage, RecordValue } from '../../core/extract/types.ts';
import type { FetchRequest, FetchResponse, Fetcher } from '../../core/fetch/types.ts';
import { stopAfterPage } from '../../core/paginate/stop.ts';
import type { ResolvedCollector } from '../../language/generated/resolved.types.ts';
import { SecretResolver } from '../../core/secrets.ts';
import { itemCandidates, type ItemCandidate } from './item-candidates.ts';

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
  request: TriedRequest;
  kind?: ParsedPage['kind'];
  records: TriedRecord[];
  errors: ExtractionError[];
  fields: string[];
  detailFields: string[];
  /** Where the paginator goes next, or why it stops. */
  next: { url: string; token?: string | number } | { stop: string } | undefined;
  fanOut?: string[];
  /** Present only when `extract.items` matched nothing: what on the page could be the items. */
  unmatchedItems?: { items: string; url: string; candidates: ItemCandidate[] };
}

export async function tryPage(options: TryOptions): Promise<TryResult> {
  const compiled = compileCollector(options.collector, { allowPrivateNetwork: options.allowPrivateNetwork ?? false });
  const secrets = new SecretResolver(options.env);
  // The page goes through the collector's layers (auth, session, robots.txt) as in a run.
  const fetcher = collectorFetcher(options.fetcher, { compiled, secrets });
  try {
    return await tryWith({ ...options, fetcher }, compiled, secrets);
  } finally {
    await fetcher.close();
  }
}

async function tryWith(o: TryOptions, compiled: CompiledCollector, secrets: SecretResolver): Promise<TryResult> {
  const seeds = planSeeds(o.collector, { runId: manualRunId(), ...(o.vars ? { overrides: o.vars } : {}) });
  const first = seeds[0];
  if (!first) throw new Error(`${o.collector.name} has no seed URL`);
  const task: Task = o.url ? { ...first, url: o.url, vars: first.vars } : first;
  const request = await buildRequest(
    compiled,
    task,
    { url: task.url, ...(task.token !== undefined ? { token: task.token } : {}) },
    secrets,
  );
  const fields = Object.keys(o.collector.extract.fields);
  const detailFields = o.collector.follow ? Object.keys(o.collector.follow.extract.fields) : [];
  const { tried, response } = await timed(o.fetcher, compiled, request);
  const result: TryResult = { request: tried, records: [], errors: [], fields, detailFields, next: undefined };
  // What try shows is the site's data and the request as sent: every secret in it is taken out.
  if (!response) return secrets.scrubValue(result);

  const page = response.acceptedEmpty
    ? undefined
    : parsePage(response.text, response.headers['content-type'], response.url, compiled.spec.parse);
  if (page) result.kind = page.kind;
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
  result.records = extracted.records.map((record, index) => {
    const link = linkOf(compiled.follow, record, extracted.links[index], response.url);
    return { index, record, ...(link ? { link } : {}) };
  });
  const items = o.collector.extract.items;
  if (page && items !== undefined && extracted.records.length + extracted.errors.length === 0) {
    result.unmatchedItems = { items, url: response.url, candidates: itemCandidates(page) };
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
    const fanned = pagination.paginator.fanOut?.(view, compiled.spec.limits.maxPages);
    if (fanned?.length) result.fanOut = fanned.map((p) => p.url);
    const stop = stopAfterPage(view, pagination.spec.stop);
    if (stop) result.next = { stop: stop.kind === 'rule' ? `stop rule ${stop.rule}` : stop.warning };
    else {
      const next = pagination.paginator.next(view);
      result.next = next
        ? { url: next.url, ...(next.token !== undefined ? { token: next.token } : {}) }
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
  const out: string[] = [];
  out.push(requestLine(r.request) + (r.kind ? `, ${r.kind}` : ''));
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
  if (r.records.length > 0) {
    const empty = r.fields.filter((f) => r.records.every((t) => !isFilled(t.record[f])));
    if (empty.length) out.push('', `  empty in every record: ${empty.join(', ')} (check their selectors)`);
  }
  out.push('');
  if (r.fanOut) out.push(`  fan-out: ${r.fanOut.length} more pages as separate tasks, first ${r.fanOut[0]}`);
  if (!r.next) out.push('  next page: no pagination');
  else if ('stop' in r.next) out.push(`  next page: none (${r.next.stop})`);
  else out.push(`  next page: ${r.next.url}${r.next.token !== undefined ? ` (token ${r.next.token})` : ''}`);
  return `${out.join('\n')}\n`;
}

function unmatchedLines(u: NonNullable<TryResult['unmatchedItems']>, kind: TryResult['kind']): string[] {
  const lines = [`  items ${JSON.stringify(u.items)} matched nothing on ${u.url}`];
  const html = kind === 'html';
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
