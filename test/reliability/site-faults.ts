// Whole runs of the `collect run` CLI against a local site that mixes healthy
// pages with every kind of fault the fetch layer knows (test/helpers/fault-site.ts).
// Every fault sits on a listing page of its own, next to three healthy items,
// either as the detail page of a fourth item or as the listing page itself.
// For each fault the scenario checks: retried where it should be (hits counted
// on the site), a clear permanent error where it should be (the manifest, the
// summary and `_errors/` count it, with url and error name), the run
// finishes, and every record of a healthy page is there exactly once.
//
// Used by site-faults.test.ts and by figures.ts.
import { readFileSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import type { Manifest } from '../../runtime/core/output/manifest.ts';
import type { FailureReport } from '../../runtime/core/engine/stats.ts';
import { bomb, LATIN1_TEXT, PAGE_TITLE, startFaultSite, type FaultSite, type RouteContext } from '../helpers/fault-site.ts';
import { tempDir } from '../helpers/collector.ts';
import { findFiles, readFailures, readParts } from '../helpers/parts.ts';
import { runCliInProcess } from './cli.ts';
import { caseChecker, tally, type CaseResult } from './verdict.ts';

/** Retries of one fetch (request.retries.attempts) and deliveries of one task (the local driver's default). */
const FETCH_TRIES = 4;
const TASK_ATTEMPTS = 3;
/** A fetch that fails with a retryable error every time is tried this often in a run. */
const EXHAUSTED = FETCH_TRIES * TASK_ATTEMPTS;
const TIMEOUT_MS = 400;
const MAX_BYTES = 1024 * 1024;
const HEALTHY_PER_LISTING = 3;

type Outcome =
  /** The item (or listing) is kept: after retries, or because the fault was survivable (charset, malformed markup). */
  | { outcome: 'kept'; hits: number; text?: string; minGapMs?: number }
  /** The item (or listing) failed for good with this error, reported once. */
  | { outcome: 'failed'; hits: number; error: string; message: RegExp; status?: number };

export type FaultCase = { kind: string; label: string } & Outcome &
  (
    | { where: 'detail' /** Path (and query) of the fault route the fourth item links to. */; path: string }
    | { where: 'listing' /** How the listing page itself misbehaves. */; mode: ListingMode }
  );

type ListingMode = 'burst' | 'retry-after' | 'reset' | 'stall' | 'truncated' | 'always-503' | 'gone' | 'malformed';

const failed = (hits: number, error: string, message: RegExp, status?: number) => ({
  outcome: 'failed' as const,
  hits,
  error,
  message,
  ...(status ? { status } : {}),
});
const kept = (hits: number, extra: { text?: string; minGapMs?: number } = {}) => ({ outcome: 'kept' as const, hits, ...extra });
const detail = (kind: string, label: string, path: string, o: Outcome): FaultCase => ({ kind, label, where: 'detail', path, ...o });
const listing = (kind: string, label: string, mode: ListingMode, o: Outcome): FaultCase => ({ kind, label, where: 'listing', mode, ...o });

/** What a UTF-8 reader makes of the windows-1252 bytes of LATIN1_TEXT: each non-ASCII byte is one U+FFFD. */
const LATIN1_AS_UTF8 = LATIN1_TEXT.replace(/[^\p{ASCII}]/gu, '\uFFFD');

export const FAULTS: readonly FaultCase[] = [
  detail('burst', 'burst of 500, 502, 503 then 200', '/flaky/burst?fails=3&status=500,502,503', kept(4, { text: PAGE_TITLE })),
  detail(
    'ra-seconds',
    '429 with Retry-After: 1 (seconds)',
    '/retry-after/seconds/ra?fails=1&after=1',
    kept(2, { text: PAGE_TITLE, minGapMs: 950 }),
  ),
  detail(
    'ra-date',
    '429 with Retry-After as an HTTP date',
    '/retry-after/date/ra?fails=1&after=2',
    kept(2, { text: PAGE_TITLE, minGapMs: 800 }),
  ),
  detail(
    'ra-503',
    '503 with Retry-After: 1',
    '/retry-after/seconds/ra503?fails=1&after=1&status=503',
    kept(2, { text: PAGE_TITLE, minGapMs: 950 }),
  ),
  detail('reset-once', 'connection reset before headers, then 200', '/reset-then-ok/before?fails=1', kept(2, { text: PAGE_TITLE })),
  detail(
    'reset-body-once',
    'connection reset mid-body, then 200',
    '/reset-then-ok/after?fails=1&when=after',
    kept(2, { text: PAGE_TITLE }),
  ),
  detail('stall-once', 'response stalls mid-body, then 200', '/stall-then-ok/once?fails=1', kept(2, { text: PAGE_TITLE })),
  detail(
    'reset',
    'connection reset before headers, always',
    '/reset/before-headers',
    failed(EXHAUSTED, 'NetworkError', /network error .*reset\/before-headers/),
  ),
  detail(
    'reset-body',
    'connection reset mid-body, always',
    '/reset/after-headers',
    failed(EXHAUSTED, 'NetworkError', /network error .*reset\/after-headers/),
  ),
  detail(
    'stall',
    'response stalls mid-body, always',
    '/stall',
    failed(EXHAUSTED, 'TimeoutError', new RegExp(`no complete response from .*/stall within ${TIMEOUT_MS} ms`)),
  ),
  detail('truncated', 'body shorter than its Content-Length', '/truncated', failed(EXHAUSTED, 'NetworkError', /network error .*truncated/)),
  detail('http-500', '500 on every try', '/status/500', failed(EXHAUSTED, 'HttpStatusError', /HTTP 500 from .*status\/500/, 500)),
  detail('http-404', '404 (not retried)', '/status/404', failed(1, 'HttpStatusError', /HTTP 404 from .*status\/404/, 404)),
  detail(
    'big',
    'body of 2 MiB over a 1 MiB limit (Content-Length)',
    '/big?bytes=2097152',
    failed(1, 'ResponseTooLargeError', /exceeds 1048576 bytes \(declared content-length\)/),
  ),
  detail(
    'big-chunked',
    'body of 2 MiB over a 1 MiB limit (chunked)',
    '/big?bytes=2097152&chunked=1',
    failed(1, 'ResponseTooLargeError', /exceeds 1048576 bytes \(body\)/),
  ),
  detail(
    'gzip-bomb',
    'gzip bomb (200 MB inflated)',
    '/gzip-bomb',
    failed(1, 'ResponseTooLargeError', /exceeds 1048576 bytes \(decompressed body\)/),
  ),
  detail(
    'deflate-bomb',
    'deflate bomb',
    '/deflate-bomb',
    failed(1, 'ResponseTooLargeError', /exceeds 1048576 bytes \(decompressed body\)/),
  ),
  detail('br-bomb', 'brotli bomb', '/br-bomb', failed(1, 'ResponseTooLargeError', /exceeds 1048576 bytes \(decompressed body\)/)),
  detail('bad-gzip', 'Content-Encoding gzip, body not gzip', '/bad-gzip', failed(1, 'DecodeError', /cannot decode response/)),
  detail(
    'redirect-loop',
    'redirect loop between two pages',
    '/redirect/loop',
    failed(1, 'RedirectLoopError', /redirect loop: .*\/redirect\/loop -> .*\/redirect\/loop-b -> .*\/redirect\/loop$/),
  ),
  detail('redirect-self', 'redirect to itself', '/redirect/self', failed(1, 'RedirectLoopError', /redirect loop/)),
  detail('redirect-chain', '12 redirects, limit 10', '/redirect/chain/12', failed(1, 'TooManyRedirectsError', /more than 10 redirects/)),
  detail(
    'redirect-metadata',
    'redirect to 169.254.169.254',
    '/redirect/metadata',
    failed(1, 'BlockedAddressError', /169\.254\.169\.254 is a cloud metadata endpoint/),
  ),
  detail(
    'redirect-loopback',
    'redirect to another loopback address',
    '/redirect/loopback',
    failed(1, 'BlockedAddressError', /127\.0\.0\.2 is a loopback address/),
  ),
  detail('redirect-ipv6', 'redirect to [::1]', '/redirect/ipv6-loopback', failed(1, 'BlockedAddressError', /is a loopback address/)),
  detail('cs-header', 'windows-1252 body, charset in Content-Type', '/charset/latin1-header', kept(1, { text: LATIN1_TEXT })),
  detail('cs-meta', 'windows-1252 body, <meta charset>', '/charset/meta', kept(1, { text: LATIN1_TEXT })),
  detail('cs-http-equiv', 'windows-1252 body, <meta http-equiv>', '/charset/http-equiv', kept(1, { text: LATIN1_TEXT })),
  detail('cs-bom', 'UTF-8 with BOM, Content-Type says iso-8859-1', '/charset/utf8-bom', kept(1, { text: LATIN1_TEXT })),
  detail('cs-unknown', 'unknown charset label', '/charset/unknown', kept(1, { text: LATIN1_TEXT })),
  detail('cs-missing', 'windows-1252 body, no charset anywhere', '/charset/missing', kept(1, { text: LATIN1_AS_UTF8 })),
  detail('malformed-html', 'malformed HTML', '/malformed/html', kept(1, { text: 'one' })),
  listing('l-burst', 'listing: 500 then 503 then 200', 'burst', kept(3)),
  listing('l-retry-after', 'listing: 429 with Retry-After: 1', 'retry-after', kept(2, { minGapMs: 950 })),
  listing('l-reset', 'listing: connection reset once', 'reset', kept(2)),
  listing('l-stall', 'listing: stalls mid-body once', 'stall', kept(2)),
  listing('l-truncated', 'listing: truncated once', 'truncated', kept(2)),
  listing('l-malformed', 'listing: malformed HTML', 'malformed', kept(1)),
  listing('l-503', 'listing: 503 on every try', 'always-503', failed(EXHAUSTED, 'HttpStatusError', /HTTP 503 from .*\/list\/l-503/, 503)),
  listing('l-gone', 'listing: 410 Gone (not retried)', 'gone', failed(1, 'HttpStatusError', /HTTP 410 from .*\/list\/l-gone/, 410)),
];

/** Pages of a JSON API in a run of its own: healthy pages, a burst of 502s, malformed JSON, an HTML error page, an empty body. */
export type JsonCase = { kind: string; label: string; path: string; ids: number[] } & Outcome;

export const JSON_FAULTS: readonly JsonCase[] = [
  { kind: 'j-ok-1', label: 'healthy JSON page, first of the run', path: '/api/page/1', ids: [1, 2, 3], ...kept(1) },
  { kind: 'j-burst', label: 'JSON page: 502, 502, then 200', path: '/api/burst', ids: [4, 5, 6], ...kept(3) },
  {
    kind: 'j-malformed',
    label: 'malformed JSON (cut off mid-array)',
    path: '/malformed/json',
    ids: [],
    ...failed(1, 'ParseError', /malformed JSON from .*: .*position \d+ \(line 1, column \d+\)/),
  },
  {
    kind: 'j-html',
    label: 'HTML error page with status 200 where JSON was expected',
    path: '/api/html-error',
    ids: [],
    ...failed(1, 'ParseError', /malformed JSON from .*api\/html-error/),
  },
  { kind: 'j-blank', label: 'blank body with status 200', path: '/api/blank', ids: [], ...kept(1) },
  { kind: 'j-ok-2', label: 'healthy JSON page, last of the run', path: '/api/page/2', ids: [7, 8, 9], ...kept(1) },
];

const escapeAttr = (s: string) => s.replaceAll('&', '&amp;').replaceAll('"', '&quot;');

function healthyIds(kind: string): string[] {
  return Array.from({ length: HEALTHY_PER_LISTING }, (_, i) => `${kind}-h${i + 1}`);
}

function listingHtml(f: FaultCase): string {
  const items = healthyIds(f.kind).map((id) => `<li class="item"><a href="/item/${id}">${id}</a></li>`);
  if (f.where === 'detail') items.push(`<li class="item"><a href="${escapeAttr(f.path)}">${f.kind}-fault</a></li>`);
  if (f.where === 'listing' && f.mode === 'malformed') {
    // Unclosed elements, a stray "<", a bogus entity: a browser still shows every item, and so must we.
    return `<html><head><title>broken</title><body><div><ul>${items.map((i) => i.replace('</li>', '')).join('\n<p>stray < and &bogus; ')}</div></span>`;
  }
  return `<!doctype html><html><head><meta charset="utf-8"><title>${f.kind}</title></head><body><ul>\n${items.join('\n')}\n</ul></body></html>`;
}

function send(
  res: ServerResponse,
  status: number,
  body: string,
  type = 'text/html; charset=utf-8',
  headers: Record<string, string> = {},
): void {
  const data = Buffer.from(body, 'utf8');
  res.writeHead(status, { 'content-type': type, 'content-length': data.length, ...headers });
  res.end(data);
}

/** The listing page of a fault case, misbehaving on its first hits as its mode says. */
function listingRoute(f: FaultCase) {
  const html = listingHtml(f);
  return (req: IncomingMessage, res: ServerResponse, ctx: RouteContext): void => {
    const mode = f.where === 'listing' ? f.mode : undefined;
    if (mode === 'burst' && ctx.hit <= 2) send(res, ctx.hit === 1 ? 500 : 503, 'busy', 'text/plain');
    else if (mode === 'retry-after' && ctx.hit === 1) send(res, 429, 'slow down', 'text/plain', { 'retry-after': '1' });
    else if (mode === 'reset' && ctx.hit === 1) req.socket.destroy();
    else if (mode === 'stall' && ctx.hit === 1) {
      res.writeHead(200, { 'content-type': 'text/html', 'content-length': html.length + 1000 });
      res.write(html.slice(0, 40));
    } else if (mode === 'truncated' && ctx.hit === 1) {
      res.writeHead(200, { 'content-type': 'text/html', 'content-length': html.length + 1000 });
      res.write(html.slice(0, 60), () => req.socket.end());
    } else if (mode === 'always-503') send(res, 503, 'down', 'text/plain');
    else if (mode === 'gone') send(res, 410, 'gone', 'text/plain');
    else send(res, 200, html);
  };
}

function apiRoutes(site: FaultSite): void {
  const page = (ids: number[]) => JSON.stringify({ items: ids.map((id) => ({ id, name: `item ${id}` })) });
  site.route('/api/page/1', (_req, res) => send(res, 200, page([1, 2, 3]), 'application/json'));
  site.route('/api/page/2', (_req, res) => send(res, 200, page([7, 8, 9]), 'application/json'));
  site.route('/api/burst', (_req, res, ctx) =>
    ctx.hit <= 2 ? send(res, 502, 'bad gateway', 'text/plain') : send(res, 200, page([4, 5, 6]), 'application/json'),
  );
  site.route('/api/html-error', (_req, res) => send(res, 200, '<html><body><h1>Service temporarily unavailable</h1></body></html>'));
  site.route('/api/blank', (_req, res) => send(res, 200, '', 'application/json'));
}

const politeness = (timeoutSeconds: number) => `
request:
  timeoutSeconds: ${timeoutSeconds}
  maxResponseBytes: ${MAX_BYTES}
  retries: { attempts: ${FETCH_TRIES - 1}, baseDelaySeconds: 0.01, maxDelaySeconds: 3 }
  rateLimit: { concurrency: 64 }
network: { allow: ["127.0.0.1"] }`;

function htmlCollector(site: FaultSite): string {
  return `name: site-faults
start:
  urls:
${FAULTS.map((f) => `    - ${site.at(`/list/${f.kind}`)}`).join('\n')}
parse: html
extract:
  items: li.item
  fields:
    id: { selector: a, required: true }
    link: { selector: a, attr: href, type: url }
follow:
  field: link
  extract:
    fields:
      text: { selector: "h1, p", required: true }
${politeness(TIMEOUT_MS / 1000)}
output: s3://reliability/site-faults
`;
}

function jsonCollector(site: FaultSite): string {
  return `name: json-faults
start:
  urls:
${JSON_FAULTS.map((f) => `    - ${site.at(f.path)}`).join('\n')}
parse: json
extract:
  items: items
  fields:
    id: { path: id, type: integer, required: true }
    name: name
${politeness(TIMEOUT_MS / 1000)}
output: s3://reliability/json-faults
`;
}

interface RunObservation {
  code: number;
  summary: string;
  manifest: Manifest;
  errors: FailureReport[];
  records: Record<string, unknown>[];
  leftovers: string[];
  ms: number;
}

async function runCollector(yaml: string, name: string): Promise<RunObservation> {
  const dir = tempDir('collect-faults-');
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, yaml);
  const out = join(dir, 'out');
  const t0 = performance.now();
  const cli = await runCliInProcess(['run', file, '--out', out], { cwd: dir, env: {} });
  const ms = performance.now() - t0;
  const [manifestFile] = findFiles(out, /^_manifest\.json$/);
  if (!manifestFile) throw new Error(`${name}: the run wrote no manifest (exit ${cli.code}): ${cli.stdout}${cli.stderr}`);
  const errors = readFailures(out) as unknown as FailureReport[];
  return {
    code: cli.code,
    summary: cli.stdout + cli.stderr,
    manifest: JSON.parse(readFileSync(manifestFile, 'utf8')) as Manifest,
    errors,
    records: readParts(out),
    leftovers: findFiles(out, /\.tmp$/),
    ms,
  };
}

export interface SiteFaultsReport {
  cases: CaseResult[];
  /** Checks of each whole run: it finished, and the manifest, summary and error report add up. */
  runs: CaseResult[];
  /** Records of healthy pages expected, lost, and written more than once. */
  healthyRecords: number;
  lost: string[];
  duplicates: string[];
  /** Requests the site served, retries included. */
  requests: number;
  ms: number;
}

export async function runSiteFaults(): Promise<SiteFaultsReport> {
  const t0 = performance.now();
  // Bombs are compressed on first use; do it before anything is timed.
  await Promise.all([bomb('gzip'), bomb('deflate'), bomb('br')]);
  const site = await startFaultSite();
  try {
    for (const f of FAULTS) site.route(`/list/${f.kind}`, listingRoute(f));
    site.route('/item/*', (_req, res, ctx) =>
      send(res, 200, `<!doctype html><html><body><h1>Item ${ctx.url.pathname.slice('/item/'.length)}</h1></body></html>`),
    );
    apiRoutes(site);

    const html = await runCollector(htmlCollector(site), 'site-faults');
    const json = await runCollector(jsonCollector(site), 'json-faults');

    const cases: CaseResult[] = [];
    const expectedKeys: string[] = [];
    const byId = new Map<string, Record<string, unknown>[]>();
    for (const r of html.records) byId.set(String(r.id), [...(byId.get(String(r.id)) ?? []), r]);

    for (const f of FAULTS) {
      const { result, check } = caseChecker(`${f.where}: ${f.label}`);
      const listingPath = `/list/${f.kind}`;
      // Two cases share /big: detail faults are told apart by path and query.
      const faultUrl = f.where === 'detail' ? f.path : listingPath;
      const hits = site.requests.filter((r) => r.url === faultUrl).length;
      check(hits === f.hits, `${faultUrl} was requested ${hits} times, expected ${f.hits}`);
      const listingLost = f.where === 'listing' && f.outcome === 'failed';
      for (const id of healthyIds(f.kind)) {
        if (!listingLost) expectedKeys.push(id);
        const n = byId.get(id)?.length ?? 0;
        check(n === (listingLost ? 0 : 1), `record ${id} written ${n} times`);
      }
      const errors = html.errors.filter((e) => new URL(e.url).pathname + new URL(e.url).search === faultUrl);
      if (f.where === 'detail') {
        const faultRecords = byId.get(`${f.kind}-fault`) ?? [];
        if (f.outcome === 'kept') {
          check(faultRecords.length === 1, `the record behind the fault was written ${faultRecords.length} times, expected once`);
          if (f.text !== undefined)
            check(
              faultRecords[0]?.text === f.text,
              `detail text ${JSON.stringify(faultRecords[0]?.text)}, expected ${JSON.stringify(f.text)}`,
            );
        } else {
          check(faultRecords.length === 0, `the record behind a failed page was written ${faultRecords.length} times`);
        }
      }
      if (f.outcome === 'kept') {
        check(errors.length === 0, `reported as failed: ${errors.map((e) => e.message).join('; ')}`);
      } else {
        check(errors.length === 1, `${errors.length} entries in _errors/, expected 1`);
        const e = errors[0];
        if (e) {
          check(e.error === f.error, `error name ${e.error}, expected ${f.error}`);
          check(f.message.test(e.message), `message ${JSON.stringify(e.message)} does not match ${f.message}`);
          check(e.url.startsWith(site.url), `error url ${e.url} is not the page's`);
          if (f.status) check(e.status === f.status, `status ${e.status}, expected ${f.status}`);
        }
      }
      if (f.outcome === 'kept' && f.minGapMs !== undefined) {
        const times = site.requests.filter((r) => r.url === faultUrl).map((r) => r.at);
        const gap = times.length >= 2 ? times[1]! - times[0]! : 0;
        check(gap >= f.minGapMs, `retried after ${Math.round(gap)} ms; Retry-After asked for at least ${f.minGapMs} ms`);
      }
      cases.push(result);
    }

    const jsonById = new Map<number, number>();
    for (const r of json.records) jsonById.set(Number(r.id), (jsonById.get(Number(r.id)) ?? 0) + 1);
    for (const f of JSON_FAULTS) {
      const { result, check } = caseChecker(`json: ${f.label}`);
      const hits = site.hits(f.path);
      check(hits === f.hits, `${f.path} was requested ${hits} times, expected ${f.hits}`);
      for (const id of f.ids) {
        expectedKeys.push(`json-${id}`);
        check(jsonById.get(id) === 1, `record ${id} written ${jsonById.get(id) ?? 0} times`);
      }
      const errors = json.errors.filter((e) => new URL(e.url).pathname === f.path);
      if (f.outcome === 'kept') check(errors.length === 0, `reported as failed: ${errors.map((e) => e.message).join('; ')}`);
      else {
        check(
          errors.length === 1 && errors[0]!.error === f.error,
          `errors ${JSON.stringify(errors.map((e) => e.error))}, expected one ${f.error}`,
        );
        if (errors[0]) check(f.message.test(errors[0].message), `message ${JSON.stringify(errors[0].message)} does not match ${f.message}`);
      }
      cases.push(result);
    }

    const htmlRecords = FAULTS.reduce(
      (n, f) =>
        n +
        (f.where === 'listing' && f.outcome === 'failed'
          ? 0
          : HEALTHY_PER_LISTING + (f.where === 'detail' && f.outcome === 'kept' ? 1 : 0)),
      0,
    );
    const runs = [
      checkRun('run of the HTML collector', html, FAULTS, htmlRecords),
      checkRun(
        'run of the JSON collector',
        json,
        JSON_FAULTS,
        JSON_FAULTS.reduce((n, f) => n + f.ids.length, 0),
      ),
    ];
    const found = [...html.records.map((r) => String(r.id)), ...json.records.map((r) => `json-${String(r.id)}`)];
    const healthySet = new Set(expectedKeys);
    const { lost, duplicates } = tally(
      expectedKeys,
      found.filter((k) => healthySet.has(k)),
    );
    const allDuplicates = tally([], found).duplicates;
    return {
      cases,
      runs,
      healthyRecords: expectedKeys.length,
      lost,
      duplicates: [...new Set([...duplicates, ...allDuplicates])],
      requests: site.totalHits(),
      ms: performance.now() - t0,
    };
  } finally {
    await site.close();
  }
}

function checkRun(name: string, run: RunObservation, faults: readonly Outcome[], records: number): CaseResult {
  const { result, check } = caseChecker(name);
  const m = run.manifest;
  const failures = faults.filter((f) => f.outcome === 'failed').length;
  // Retries the manifest counts: those of fetches that finally succeeded (a task that was redone keeps only its last try's counts).
  const retries = faults.reduce((n, f) => n + (f.outcome === 'kept' ? f.hits - 1 : 0), 0);
  check(run.code === 1, `exit code ${run.code}, expected 1 (pages failed)`);
  check(m.status === 'failed', `manifest status ${m.status}`);
  check(m.failures === failures, `manifest counts ${m.failures} failures, expected ${failures}`);
  check(run.errors.length === failures, `_errors/ has ${run.errors.length} entries, expected ${failures}`);
  check(m.retries === retries, `manifest counts ${m.retries} retries, expected ${retries}`);
  check(m.records === run.records.length, `manifest counts ${m.records} records, the parts hold ${run.records.length}`);
  check(run.records.length === records, `the parts hold ${run.records.length} records, expected ${records}`);
  check(new RegExp(`failures\\s+${failures}\\n`).test(run.summary), `the summary does not say "failures ${failures}"`);
  check(new RegExp(`retries\\s+${retries}\\n`).test(run.summary), `the summary does not say "retries ${retries}"`);
  check(run.leftovers.length === 0, `temporary files left: ${run.leftovers.join(', ')}`);
  for (const e of run.errors)
    check(
      typeof e.url === 'string' && e.url !== '' && typeof e.error === 'string' && e.error !== '' && e.message !== '',
      `incomplete error entry ${JSON.stringify(e)}`,
    );
  return result;
}
