// Hostile pages: a local site (real sockets on 127.0.0.1) whose pages are built
// to make a collector run away or fall over, each run through a real local run
// (`collect run`, in process, or bin/collect.mjs in a child process):
//
// - nesting-html, nesting-json: a page nested 100,000 levels deep (HTML
//   elements; JSON arrays or objects) among healthy pages: that page fails
//   with NestingTooDeepError, once, not retried; its neighbours' records are
//   kept; the run ends (failed) with its manifest, no crash;
// - items: a page with one item more than limits.maxItemsPerPage fails on its
//   own with TooManyItemsError, none of its items written, and the run goes on;
//   a page with exactly the limit is collected whole;
// - next-link: a site that links to a fresh page for ever, limits.maxPages: 50:
//   the site serves exactly 50 pages (listing pages alone, or listing and
//   detail pages together in short tasks), the run ends failed with the
//   ceiling's warning first in its manifest, `collect run` exits 1;
// - page-number: a first page announcing 10,000,000 pages: no more than
//   limits.maxPages fetched, and no more than maxPages + 1 pages ever planned;
// - fan-out: one page with 100,000 detail links, followed, in a child process
//   with `node --max-old-space-size=256 bin/collect.mjs run` and limits high
//   enough for all of it: the run completes (exit 0) with every record, no
//   out-of-memory, and the site sees every detail page exactly once.
//
// Used by hostile-pages.test.ts.
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { FailureReport } from '../../runtime/core/engine/stats.ts';
import type { Task } from '../../runtime/core/engine/task.ts';
import type { Manifest } from '../../runtime/core/output/manifest.ts';
import { MAX_NESTING_DEPTH } from '../../runtime/core/extract/nesting.ts';
import type { Collector } from '../../runtime/language/generated/collector.types.ts';
import { tempDir } from '../helpers/collector.ts';
import { startFaultSite } from '../helpers/fault-site.ts';
import { findFiles, readFailures, readParts } from '../helpers/parts.ts';
import { runCliInProcess } from './cli.ts';
import { caseChecker, tally, type CaseResult } from './verdict.ts';

export type HostilePageKind = 'nesting-html' | 'nesting-json' | 'items' | 'next-link' | 'page-number' | 'fan-out';

/** One attack: what was tried and whether the run ended as promised. */
interface HostilePage extends CaseResult {
  attack: HostilePageKind;
  /** What was tried, e.g. "HTML nested 100000 levels deep (closed <div>s)". */
  tried: string;
  /** True when the promise held: `problems` is empty. */
  held: boolean;
}

export interface HostilePagesReport {
  attacks: HostilePage[];
  /** Requests the site received in all. */
  requests: number;
  /** Wall time of each run, by name (reported, never asserted). */
  runs: { name: string; ms: number }[];
  ms: number;
}

const BIN = new URL('../../bin/collect.mjs', import.meta.url).pathname;
/** How deep the hostile pages nest. */
const DEPTH = 100_000;
/** limits.maxItemsPerPage of the nesting and items runs. */
const MAX_ITEMS = 1000;
/** limits.maxPages of the next-link and page-number runs. */
export const MAX_PAGES = 50;
/** Announced by the first page of the page-number run. */
const TOTAL_PAGES = 10_000_000;
/** Detail links on the fan-out page. */
export const FAN_OUT = 100_000;
/** The heap the fan-out child gets. */
const HEAP_MB = 256;

function send(res: ServerResponse, body: string, type: string): void {
  const data = Buffer.from(body, 'utf8');
  res.writeHead(200, { 'content-type': type, 'content-length': data.length });
  res.end(data);
}
const sendHtml = (res: ServerResponse, body: string) => send(res, body, 'text/html; charset=utf-8');
const sendJson = (res: ServerResponse, body: unknown) =>
  send(res, typeof body === 'string' ? body : JSON.stringify(body), 'application/json');

const ids = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}-${i + 1}`);
const htmlItems = (list: string[]) => `<ul>${list.map((id) => `<li class="item"><span class="id">${id}</span></li>`).join('')}</ul>`;
const htmlPage = (body: string) => `<!doctype html><html><head><title>hostile</title></head><body>${body}</body></html>`;

/** The pages of the nesting and items runs, by name: what each serves, and the ids of its records when it is kept. */
interface PageCase {
  name: string;
  attack: HostilePageKind;
  tried: string;
  body: string;
  /** Records the page holds; written only when it is not refused. */
  ids: string[];
  /** The error it fails with, or undefined when it is kept. */
  error?: { name: string; message: RegExp };
}

function htmlCases(): PageCase[] {
  const deepIds = ids('deep-closed', 2);
  const openIds = ids('deep-open', 2);
  const nested = new RegExp(`^HTML from .* is nested more than ${MAX_NESTING_DEPTH} levels deep; the page is refused$`);
  return [
    {
      name: 'ok-1',
      attack: 'nesting-html',
      tried: 'healthy neighbour',
      body: htmlPage(htmlItems(ids('html-ok-1', 3))),
      ids: ids('html-ok-1', 3),
    },
    {
      name: 'deep-closed',
      attack: 'nesting-html',
      tried: `HTML nested ${DEPTH} levels deep (closed <div>s, items at the bottom)`,
      body: htmlPage(`${'<div>'.repeat(DEPTH)}${htmlItems(deepIds)}${'</div>'.repeat(DEPTH)}`),
      ids: deepIds,
      error: { name: 'NestingTooDeepError', message: nested },
    },
    {
      name: 'deep-open',
      attack: 'nesting-html',
      tried: `HTML of ${DEPTH * 10} <b> tags never closed (a 3 MB page), items at the bottom`,
      body: htmlPage(`${'<b>'.repeat(DEPTH * 10)}${htmlItems(openIds)}`),
      ids: openIds,
      error: { name: 'NestingTooDeepError', message: nested },
    },
    {
      name: 'ok-2',
      attack: 'nesting-html',
      tried: 'healthy neighbour',
      body: htmlPage(htmlItems(ids('html-ok-2', 3))),
      ids: ids('html-ok-2', 3),
    },
    {
      name: 'many',
      attack: 'items',
      tried: `HTML page with ${MAX_ITEMS + 1} items, limits.maxItemsPerPage ${MAX_ITEMS}`,
      body: htmlPage(htmlItems(ids('html-many', MAX_ITEMS + 1))),
      ids: ids('html-many', MAX_ITEMS + 1),
      error: {
        name: 'TooManyItemsError',
        message: new RegExp(`^extract\\.items matches ${MAX_ITEMS + 1} items on .*, more than limits\\.maxItemsPerPage \\(${MAX_ITEMS}\\)`),
      },
    },
    {
      name: 'full',
      attack: 'items',
      tried: `HTML page with exactly ${MAX_ITEMS} items, limits.maxItemsPerPage ${MAX_ITEMS}`,
      body: htmlPage(htmlItems(ids('html-full', MAX_ITEMS))),
      ids: ids('html-full', MAX_ITEMS),
    },
  ];
}

function jsonCases(): PageCase[] {
  const items = (list: string[]) => list.map((id) => ({ id }));
  const page = (list: string[]) => JSON.stringify({ items: items(list) });
  const arraysIds = ids('deep-arrays', 2);
  const objectsIds = ids('deep-objects', 2);
  const nested = new RegExp(`^JSON from .* is nested more than ${MAX_NESTING_DEPTH} levels deep; the page is refused$`);
  const many = ids('json-many', MAX_ITEMS + 1);
  return [
    { name: 'ok-1', attack: 'nesting-json', tried: 'healthy neighbour', body: page(ids('json-ok-1', 3)), ids: ids('json-ok-1', 3) },
    {
      name: 'deep-arrays',
      attack: 'nesting-json',
      tried: `JSON arrays nested ${DEPTH} levels deep inside an item`,
      body: `{"items":[{"id":"${arraysIds[0]}","x":${'['.repeat(DEPTH)}${']'.repeat(DEPTH)}},{"id":"${arraysIds[1]}"}]}`,
      ids: arraysIds,
      error: { name: 'NestingTooDeepError', message: nested },
    },
    {
      name: 'deep-objects',
      attack: 'nesting-json',
      tried: `JSON objects nested ${DEPTH} levels deep around the items`,
      body: `${'{"a":'.repeat(DEPTH)}${page(objectsIds)}${'}'.repeat(DEPTH)}`,
      ids: objectsIds,
      error: { name: 'NestingTooDeepError', message: nested },
    },
    { name: 'ok-2', attack: 'nesting-json', tried: 'healthy neighbour', body: page(ids('json-ok-2', 3)), ids: ids('json-ok-2', 3) },
    {
      name: 'many',
      attack: 'items',
      tried: `JSON page with ${MAX_ITEMS + 1} items, limits.maxItemsPerPage ${MAX_ITEMS}`,
      body: page(many),
      ids: many,
      error: {
        name: 'TooManyItemsError',
        message: new RegExp(`^extract\\.items matches ${MAX_ITEMS + 1} items on .*, more than limits\\.maxItemsPerPage \\(${MAX_ITEMS}\\)`),
      },
    },
    {
      name: 'full',
      attack: 'items',
      tried: `JSON page with exactly ${MAX_ITEMS} items, limits.maxItemsPerPage ${MAX_ITEMS}`,
      body: page(ids('json-full', MAX_ITEMS)),
      ids: ids('json-full', MAX_ITEMS),
    },
  ];
}

/** A collector without its name: each run names its own. */
type Spec = Omit<Collector, 'name'>;

interface RunObservation {
  code: number | null;
  output: string;
  manifest: Manifest | undefined;
  failures: FailureReport[];
  records: Record<string, unknown>[];
  /** The run's journal: the follow-ups each task planned. */
  planned: Task[];
  out: string;
}

function observe(out: string, code: number | null, output: string): RunObservation {
  const files = (pattern: RegExp) => {
    try {
      return findFiles(out, pattern);
    } catch {
      return [];
    }
  };
  const manifestFile = files(/^_manifest\.json$/)[0];
  const journal = files(/^_checkpoint\.jsonl$/)[0];
  const planned = journal
    ? readFileSync(journal, 'utf8')
        .split('\n')
        .filter(Boolean)
        .flatMap((l) => {
          const line = JSON.parse(l) as { t: string; task?: Task; followUps?: Task[] };
          return line.t === 'add' && line.task ? [line.task] : line.t === 'done' ? (line.followUps ?? []) : [];
        })
    : [];
  return {
    code,
    output,
    manifest: manifestFile ? (JSON.parse(readFileSync(manifestFile, 'utf8')) as Manifest) : undefined,
    failures: manifestFile ? (readFailures(out) as unknown as FailureReport[]) : [],
    records: manifestFile ? readParts(out) : [],
    planned,
    out,
  };
}

/** `collect run FILE --out OUT` in this process, the way bin/collect.mjs runs it; the output has its summary. */
async function runInProcess(dir: string, name: string, collector: Spec): Promise<RunObservation & { ms: number }> {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, stringify({ ...collector, name }));
  const out = join(dir, `out-${name}`);
  const t = performance.now();
  const cli = await runCliInProcess(['run', file, '--out', out], { cwd: dir, env: {} });
  return { ...observe(out, cli.code, cli.stdout + cli.stderr), ms: performance.now() - t };
}

/** `node --max-old-space-size=HEAP_MB bin/collect.mjs run FILE --out OUT` in a child process. */
function runInChild(dir: string, name: string, collector: Spec): Promise<RunObservation & { signal: string | null }> {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, stringify({ ...collector, name }));
  const out = join(dir, `out-${name}`);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [`--max-old-space-size=${HEAP_MB}`, BIN, 'run', file, '--out', out, '--quiet'], {
      cwd: dir,
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    // Only a bound on a hung child.
    const timer = setTimeout(() => child.kill('SIGKILL'), 300_000);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ ...observe(out, code, output), signal });
    });
  });
}

const politeness = {
  request: { timeoutSeconds: 10, retries: { attempts: 1, baseDelaySeconds: 0.01, maxDelaySeconds: 0.05 } },
  network: { allow: ['127.0.0.1'] },
};

export async function runHostilePages(): Promise<HostilePagesReport> {
  const t0 = performance.now();
  const dir = tempDir('collect-hostile-pages-');
  const site = await startFaultSite();
  const attacks: HostilePage[] = [];
  const attack = (kind: HostilePageKind, tried: string) => {
    const { result, check } = caseChecker(`${kind}: ${tried}`);
    const entry: HostilePage = { ...result, attack: kind, tried, held: true };
    attacks.push(entry);
    return (ok: boolean, message: string) => {
      check(ok, message);
      entry.problems = result.problems;
      entry.held = result.problems.length === 0;
    };
  };
  let requests = 0;
  const hits = (prefix: string) => site.requests.filter((r) => r.path.startsWith(prefix)).length;
  /** What the site served but robots.txt (asked once per run, obeyed by default). */
  const pageRequests = () => site.requests.filter((r) => r.path !== '/robots.txt');
  const crashFree = (run: RunObservation) => !/RangeError|Maximum call stack|heap out of memory|FATAL ERROR/i.test(run.output);
  const runTimes: HostilePagesReport['runs'] = [];

  try {
    // --- nesting-html, nesting-json, items: one run of each kind, hostile pages among healthy ones -------
    const htmlPages = htmlCases();
    const jsonPages = jsonCases();
    for (const c of htmlPages) site.route(`/html/${c.name}`, (_req, res) => sendHtml(res, c.body));
    for (const c of jsonPages) site.route(`/json/${c.name}`, (_req, res) => sendJson(res, c.body));
    const urls = (kind: string, cases: PageCase[]): [string, ...string[]] => {
      const [first, ...rest] = cases.map((c) => site.at(`/${kind}/${c.name}`));
      return [first!, ...rest];
    };
    const runs: { kind: 'html' | 'json'; cases: PageCase[]; collector: Pick<Spec, 'start' | 'parse' | 'extract'> }[] = [
      {
        kind: 'html',
        cases: htmlPages,
        collector: {
          start: { urls: urls('html', htmlPages) },
          parse: 'html',
          extract: { items: 'li.item', fields: { id: { selector: 'span.id', required: true } } },
        },
      },
      {
        kind: 'json',
        cases: jsonPages,
        collector: {
          start: { urls: urls('json', jsonPages) },
          parse: 'json',
          extract: { items: 'items', fields: { id: { path: 'id', required: true } } },
        },
      },
    ];
    for (const r of runs) {
      const run = await runInProcess(dir, `hostile-${r.kind}`, {
        ...r.collector,
        ...politeness,
        limits: { maxItemsPerPage: MAX_ITEMS },
        output: 's3://hostile-pages/raw',
      });
      runTimes.push({ name: `${r.kind}: nested and crowded pages among healthy ones`, ms: run.ms });
      const found = run.records.map((x) => String(x.id));
      const counts = new Map<string, number>();
      for (const id of found) counts.set(id, (counts.get(id) ?? 0) + 1);
      for (const c of r.cases.filter((x) => x.tried !== 'healthy neighbour')) {
        const check = attack(c.attack, c.tried);
        const path = `/${r.kind}/${c.name}`;
        const mine = run.failures.filter((f) => new URL(f.url).pathname === path);
        check(site.hits(path) === 1, `${path} was requested ${site.hits(path)} times, expected once (not retried)`);
        if (c.error) {
          check(mine.length === 1, `${mine.length} failures reported for ${path}, expected 1`);
          const f = mine[0];
          if (f) {
            check(f.error === c.error.name, `failed with ${f.error}: ${f.message}, expected ${c.error.name}`);
            check(c.error.message.test(f.message), `message ${JSON.stringify(f.message)} does not match ${c.error.message}`);
          }
          const written = c.ids.filter((id) => counts.has(id));
          check(written.length === 0, `${written.length} records of the refused page were written (${written.slice(0, 3).join(', ')})`);
        } else {
          check(mine.length === 0, `reported as failed: ${mine.map((f) => f.message).join('; ')}`);
          const { lost, duplicates } = tally(c.ids, found);
          check(lost.length === 0, `${lost.length} of its ${c.ids.length} records lost`);
          check(duplicates.filter((d) => c.ids.includes(d)).length === 0, 'records written twice');
        }
      }
      const check = attack(
        r.kind === 'html' ? 'nesting-html' : 'nesting-json',
        `the rest of the ${r.kind.toUpperCase()} run: healthy neighbours kept, the run ends failed, no crash`,
      );
      const kept = r.cases.filter((c) => !c.error);
      const expected = kept.flatMap((c) => c.ids);
      const refused = r.cases.filter((c) => c.error).length;
      const { lost, duplicates } = tally(expected, found);
      check(lost.length === 0, `records lost: ${lost.slice(0, 5).join(', ')}${lost.length > 5 ? ', ...' : ''}`);
      check(duplicates.length === 0, `records written twice: ${duplicates.slice(0, 5).join(', ')}`);
      check(found.length === expected.length, `${found.length} records written, expected ${expected.length}`);
      check(run.code === 1, `collect run exited ${run.code}, expected 1 (pages failed): ${run.output.slice(0, 500)}`);
      check(run.manifest?.status === 'failed', `manifest status ${run.manifest?.status ?? '(no manifest)'}, expected failed`);
      check(run.manifest?.failures === refused, `manifest counts ${run.manifest?.failures} failures, expected ${refused}`);
      check(run.manifest?.records === expected.length, `manifest counts ${run.manifest?.records} records, expected ${expected.length}`);
      check(crashFree(run), `the run's output shows a crash: ${run.output.slice(0, 500)}`);
    }
    requests += pageRequests().length;
    site.reset();

    // --- next-link: a fresh page for ever, limits.maxPages: 50 -------------------------------------
    site.route('/forever/*', (_req, res, ctx) => {
      const n = Number(ctx.url.pathname.slice('/forever/'.length));
      const items = [`<li class="item"><span class="id">page-${n}</span><a class="more" href="/detail/${n}">more</a></li>`];
      sendHtml(res, htmlPage(`<ul>${items.join('')}</ul><a class="next" href="/forever/${n + 1}">next</a>`));
    });
    site.route('/detail/*', (_req, res, ctx) => sendHtml(res, htmlPage(`<p class="about">about ${ctx.url.pathname.slice(8)}</p>`)));
    const forever = (extra: Partial<Spec>): Spec => ({
      start: { urls: [site.at('/forever/1')] },
      parse: 'html',
      extract: {
        items: 'li.item',
        fields: { id: { selector: 'span.id', required: true }, more: { selector: 'a.more', attr: 'href', type: 'url' } },
      },
      paginate: { type: 'next-link', selector: 'a.next' },
      ...politeness,
      limits: { maxPages: MAX_PAGES },
      output: 's3://hostile-pages/raw',
      ...extra,
    });
    for (const [tried, collector, listingPages] of [
      [`a next link on every page for ever, limits.maxPages ${MAX_PAGES}`, forever({}), MAX_PAGES],
      [
        `a next link for ever, each item followed to a detail page, scaling.pagesPerTask 7, limits.maxPages ${MAX_PAGES}`,
        forever({ follow: { field: 'more', extract: { fields: { about: 'p.about' } } }, scaling: { pagesPerTask: 7 } }),
        undefined,
      ],
    ] as const) {
      const check = attack('next-link', tried);
      const run = await runInProcess(dir, `forever-${attacks.length}`, collector);
      runTimes.push({ name: `next-link: ${tried}`, ms: run.ms });
      const served = pageRequests().length;
      check(served === MAX_PAGES, `the site served ${served} pages, expected exactly ${MAX_PAGES}`);
      const listings = hits('/forever/');
      if (listingPages !== undefined) check(listings === listingPages, `${listings} listing pages served, expected ${listingPages}`);
      else {
        // The budget is shared: the next listing page may take the last pages before a detail page does.
        const details = site.requests.filter((r) => r.path.startsWith('/detail/')).map((r) => Number(r.path.slice('/detail/'.length)));
        check(details.length > 0 && listings > 1, `${listings} listing pages and ${details.length} detail pages served`);
        check(
          details.every((n) => n <= listings),
          `detail pages of listing pages never fetched were served: ${details.filter((n) => n > listings).join(', ')}`,
        );
        check(new Set(details).size === details.length, 'a detail page was served twice');
      }
      check(run.code === 1, `collect run exited ${run.code}, expected 1: ${run.output.slice(0, 500)}`);
      check(run.manifest?.status === 'failed', `manifest status ${run.manifest?.status ?? '(no manifest)'}, expected failed`);
      const warning = run.manifest?.warnings[0] ?? '';
      check(warning.startsWith('limits.maxPages reached'), `the manifest's first warning is ${JSON.stringify(warning)}`);
      check(run.manifest?.pages === MAX_PAGES, `the manifest counts ${run.manifest?.pages} pages, expected ${MAX_PAGES}`);
      const refusedPages = run.failures.filter((f) => f.error === 'MaxPagesError');
      check(refusedPages.length >= 1, `no MaxPagesError reported: ${run.failures.map((f) => f.error).join(', ')}`);
      check(
        run.failures.every((f) => f.error === 'MaxPagesError'),
        `other failures: ${run.failures.map((f) => `${f.error}: ${f.message}`).join('; ')}`,
      );
      const found = run.records.map((x) => String(x.id));
      check(tally([], found).duplicates.length === 0, 'records written twice');
      const fetched = Array.from({ length: hits('/forever/') }, (_, i) => `page-${i + 1}`);
      const expected = listingPages !== undefined ? fetched : fetched.filter((_, i) => site.hits(`/detail/${i + 1}`) === 1);
      const { lost } = tally(expected, found);
      check(lost.length === 0 && found.length === expected.length, `${found.length} records, expected ${expected.length}`);
      check(run.output.includes('warning: limits.maxPages reached'), `the summary does not warn of limits.maxPages: ${run.output}`);
      check(crashFree(run), `the run's output shows a crash: ${run.output.slice(0, 500)}`);
      requests += pageRequests().length;
      site.reset();
    }

    // --- page-number: the first page announces 10,000,000 pages --------------------------------------
    site.route('/numbered', (_req, res, ctx) => {
      const page = Number(ctx.url.searchParams.get('page') ?? '1');
      sendJson(res, { totalPages: TOTAL_PAGES, items: [{ id: `n-${page}-a` }, { id: `n-${page}-b` }] });
    });
    {
      const check = attack('page-number', `a first page announcing totalPages ${TOTAL_PAGES}, limits.maxPages ${MAX_PAGES}`);
      const run = await runInProcess(dir, 'numbered', {
        start: { urls: [site.at('/numbered')] },
        parse: 'json',
        extract: { items: 'items', fields: { id: { path: 'id', required: true } } },
        paginate: { type: 'page-number', param: 'page', totalPagesPath: 'totalPages' },
        ...politeness,
        limits: { maxPages: MAX_PAGES },
        output: 's3://hostile-pages/raw',
      });
      runTimes.push({ name: 'page-number: totalPages 10000000', ms: run.ms });
      const pages = pageRequests().map((r) => Number(new URL(r.url, site.url).searchParams.get('page') ?? '1'));
      check(pages.length <= MAX_PAGES, `the site served ${pages.length} pages, more than limits.maxPages ${MAX_PAGES}`);
      check(pages.length === MAX_PAGES, `the site served ${pages.length} pages, expected ${MAX_PAGES} (as many as the ceiling allows)`);
      check(Math.max(...pages) <= MAX_PAGES + 1, `the site was asked for page ${Math.max(...pages)}`);
      check(run.planned.length <= MAX_PAGES + 1, `${run.planned.length} tasks planned, more than limits.maxPages + 1 (${MAX_PAGES + 1})`);
      check(run.planned.length > 1, `${run.planned.length} tasks planned: the pages did not fan out`);
      const furthest = Math.max(...run.planned.map((t) => Number(t.token ?? 1)));
      check(furthest <= MAX_PAGES + 1, `page ${furthest} was planned, beyond limits.maxPages + 1`);
      const left = run.failures.filter((f) => f.error === 'MaxPagesError').map((f) => f.message);
      // The pages past the ceiling are reported once, by the first page (not handed on) or by the run (left queued).
      check(
        left.length === 1 && left[0]!.startsWith(`limits.maxPages (${MAX_PAGES}) reached: `),
        `pages reported not fetched: ${left.join('; ') || 'none'}`,
      );
      check(run.code === 1, `collect run exited ${run.code}, expected 1: ${run.output.slice(0, 500)}`);
      const warning = run.manifest?.warnings[0] ?? '';
      check(warning.startsWith('limits.maxPages reached'), `the manifest's first warning is ${JSON.stringify(warning)}`);
      check(run.records.length === 2 * pages.length, `${run.records.length} records from ${pages.length} pages, expected 2 each`);
      check(crashFree(run), `the run's output shows a crash: ${run.output.slice(0, 500)}`);
      requests += pageRequests().length;
      site.reset();
    }

    // --- fan-out: 100,000 detail links on one page, followed, in a 256 MB heap ------------------------
    const wide = JSON.stringify({ links: Array.from({ length: FAN_OUT }, (_, i) => ({ id: i + 1, url: `/d?id=${i + 1}` })) });
    site.route('/wide', (_req, res) => sendJson(res, wide));
    const seen = new Uint8Array(FAN_OUT + 1);
    site.route('/d', (_req, res, ctx) => {
      const id = Number(ctx.url.searchParams.get('id'));
      if (id >= 1 && id <= FAN_OUT) seen[id] = Math.min(255, seen[id]! + 1);
      sendJson(res, `{"title":"detail ${id}"}`);
    });
    {
      const check = attack(
        'fan-out',
        `one page with ${FAN_OUT} detail links followed, node --max-old-space-size=${HEAP_MB}, limits.maxPages ${FAN_OUT + 1}`,
      );
      const t = performance.now();
      const run = await runInChild(dir, 'wide', {
        start: { urls: [site.at('/wide')] },
        parse: 'json',
        extract: { items: 'links', fields: { id: { path: 'id', type: 'integer', required: true }, url: { path: 'url', type: 'url' } } },
        follow: { field: 'url', parse: 'json', extract: { fields: { title: { path: 'title', required: true } } } },
        request: { ...politeness.request, rateLimit: { concurrency: 16 } },
        network: politeness.network,
        limits: { maxPages: FAN_OUT + 1, maxItemsPerPage: FAN_OUT },
        output: 's3://hostile-pages/raw',
      });
      runTimes.push({ name: `fan-out: ${FAN_OUT} detail pages in a child process`, ms: performance.now() - t });
      check(run.signal === null && run.code === 0, `bin/collect.mjs exited ${run.code} (signal ${run.signal}): ${run.output.slice(-800)}`);
      check(crashFree(run), `the child ran out of memory or crashed: ${run.output.slice(-800)}`);
      check(run.manifest?.status === 'succeeded', `manifest status ${run.manifest?.status ?? '(no manifest)'}`);
      check(run.manifest?.pages === FAN_OUT + 1, `the manifest counts ${run.manifest?.pages} pages, expected ${FAN_OUT + 1}`);
      check(site.hits('/wide') === 1, `the listing page was requested ${site.hits('/wide')} times`);
      let missing = 0;
      let twice = 0;
      for (let i = 1; i <= FAN_OUT; i++) {
        if (seen[i] === 0) missing++;
        else if (seen[i]! > 1) twice++;
      }
      check(missing === 0 && twice === 0, `${missing} detail pages never requested, ${twice} requested more than once`);
      check(run.records.length === FAN_OUT, `${run.records.length} records, expected ${FAN_OUT}`);
      const ok = run.records.every((r) => r.title === `detail ${String(r.id)}`);
      check(ok, 'a record does not carry the title of its own detail page');
      check(new Set(run.records.map((r) => r.id)).size === run.records.length, 'records written twice');
      requests += pageRequests().length;
    }
    return { attacks, requests, runs: runTimes, ms: performance.now() - t0 };
  } finally {
    await site.close();
  }
}
