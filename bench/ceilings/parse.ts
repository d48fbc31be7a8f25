// Parse-and-extract ceiling: the site's pages from memory, no network, in one
// process on one core. Prints one JSON line of CeilingFigure[].
//   BENCH_SITE_URL=http://127.0.0.1:N BENCH_PROFILE=books BENCH_MIN_CPU_S=2 node --import tsx bench/ceilings/parse.ts
import { fileURLToPath } from 'node:url';
import { load as loadParse5 } from 'cheerio';
import { load as loadSlim } from 'cheerio/slim';
import type { CheerioAPI } from 'cheerio';
import { compileCollector } from '../../runtime/core/engine/compile.ts';
import { parsePage, selectLink } from '../../runtime/core/extract/index.ts';
import type { ExtractContext } from '../../runtime/core/extract/index.ts';
import { loadCollectorFile } from '../../runtime/language/load.ts';
import { PROFILES, type ProfileName } from '../peers/profiles.ts';
import { cpuSeconds, loadCorpus, type CeilingFigure, type Page } from './corpus.ts';

const siteUrl = process.env.BENCH_SITE_URL!;
const profileName = (process.env.BENCH_PROFILE ?? 'books') as ProfileName;
const profile = PROFILES[profileName];
const minCpuS = Number(process.env.BENCH_MIN_CPU_S ?? 2);
const corpus = await loadCorpus(siteUrl);
const bytes = corpus.reduce((n, p) => n + Buffer.byteLength(p.html), 0);

/** What the minimal peer does with a page, on a given parser. */
const handWritten = (load: (html: string) => CheerioAPI) => (page: Page) => {
  const $ = load(page.html);
  if (page.listing) {
    const links = [
      $(profile.next).attr('href'),
      ...$(profile.itemLinks)
        .map((_, el) => $(el).attr('href'))
        .get(),
    ];
    return links.length;
  }
  return profile.extract($, page.url);
};

const loaded = await loadCollectorFile(fileURLToPath(new URL(`../collectors/${profileName}-bench.yaml`, import.meta.url)));
const compiled = compileCollector(loaded.collector, { allowPrivateNetwork: true });
const ctx = (url: string): ExtractContext => ({
  url,
  fetchedAt: new Date().toISOString(),
  runId: 'bench',
  collector: loaded.collector.name,
  taskId: 't',
  vars: {},
});
const paginateSelector = (loaded.collector.paginate as { selector?: string } | undefined)?.selector ?? 'li.next a';

/** What our engine does with a page: parse once, the compiled extractor, the next link. */
const ours = (page: Page) => {
  const parsed = parsePage(page.html, 'text/html; charset=utf-8', page.url, compiled.spec.parse);
  if (page.listing) {
    const out = compiled.extractor.extract(parsed, ctx(page.url));
    return [selectLink(parsed, paginateSelector), out.records.length];
  }
  return compiled.follow!.extractor.extract(parsed, ctx(page.url)).records;
};

const variants: [string, (page: Page) => unknown][] = [
  ['parse only, htmlparser2 (cheerio/slim)', (p) => loadSlim(p.html)],
  ['parse + hand-written extract, cheerio/slim', handWritten(loadSlim)],
  ['parse + hand-written extract, cheerio default (parse5)', handWritten(loadParse5)],
  ['parse + our compiled extractors (runtime/core/extract)', ours],
];

const results: CeilingFigure[] = [];
let sink = 0;
for (const [name, fn] of variants) {
  for (const p of corpus) sink += fn(p) ? 1 : 0; // warm-up pass: JIT, caches
  let pages = 0;
  const t = await cpuSeconds(() => {
    const c0 = process.cpuUsage();
    do {
      for (const p of corpus) sink += fn(p) ? 1 : 0;
      pages += corpus.length;
    } while (sum(process.cpuUsage(c0)) < minCpuS);
  });
  results.push({ name, pages, cpuS: t.cpuS, wallS: t.wallS, bytes: (bytes * pages) / corpus.length });
}
if (sink < 0) console.error('unreachable');
process.stdout.write(`${JSON.stringify(results)}\n`);

function sum(c: NodeJS.CpuUsage): number {
  return (c.user + c.system) / 1e6;
}
