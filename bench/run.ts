// `npm run bench`: our CLI against Crawlee, Scrapy and a minimal hand-written
// crawler on a local copy of books.toscrape.com and a site of heavy news pages,
// plus the parse and fetch ceilings and the Lambda-shaped figures.
//
//   npm run bench                  full run: warm-up + 3 rounds, 1,000 books, 500 articles
//   npm run bench -- --quick       one short round (CI smoke test; no assertion on time)
//   npm run bench -- --runs 5 --only ours,minimal --skip-lambda
//   npm run bench -- --skip-crawl --skip-rendered --thousand 1000   only the many-collectors figures
//   npm run bench -- --skip-rendered      leave out the rendered site (headless Chromium, ours vs Crawlee's PlaywrightCrawler)
//
// Exit status 1 when a crawler's output is wrong (or a peer is missing in CI), never because of a time.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runCeiling, type CeilingResult } from './ceilings.ts';
import { buildPeers, CRAWLERS, RESULTS_DIR, type CrawlerId } from './crawlers.ts';
import { environment, environmentTable, type Environment } from './environment.ts';
import { lambdaFigures, type LambdaFigures } from './lambda.ts';
import { ceilingTable, crawlTable, lambdaTable, ratioTable, summarise, targets, targetTable } from './report.ts';
import { runScenario, type ScenarioResult } from './scenario.ts';
import { renderedTable, runRenderedScenario, type RenderedResult } from './rendered.ts';
import { thousandFigures, thousandTable, type ThousandFigures } from './thousand/figures.ts';

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      runs: { type: 'string' },
      only: { type: 'string' },
      books: { type: 'string' },
      articles: { type: 'string' },
      'skip-ceilings': { type: 'boolean', default: false },
      'skip-lambda': { type: 'boolean', default: false },
      'skip-articles': { type: 'boolean', default: false },
      'skip-crawl': { type: 'boolean', default: false },
      'skip-thousand': { type: 'boolean', default: false },
      'skip-rendered': { type: 'boolean', default: false },
      rendered: { type: 'string' },
      thousand: { type: 'string' },
      json: { type: 'string' },
      from: { type: 'string' },
    },
  });
  if (values.from) {
    // Print the tables of a saved run again (e.g. after a change to the report) without running anything.
    const saved = JSON.parse(await readFile(values.from, 'utf8')) as SavedRun;
    process.stdout.write(`\n${render(saved)}\n`);
    return 0;
  }
  const quick = values.quick!;
  const rounds = Number(values.runs ?? (quick ? 1 : 3));
  const books = Number(values.books ?? (quick ? 200 : 1000));
  const articles = Number(values.articles ?? (quick ? 60 : 500));
  const all: CrawlerId[] = ['ours', 'minimal', 'crawlee-memory', 'crawlee-default', 'scrapy'];
  const only = values.only ? (values.only.split(',') as CrawlerId[]) : undefined;
  for (const id of only ?? []) if (!(id in CRAWLERS)) throw new Error(`--only: unknown crawler ${id}; known: ${all.join(', ')}`);
  const booksCrawlers = only ?? (quick ? ['ours', 'minimal', 'crawlee-memory', 'scrapy'] : all);
  const articleCrawlers = only ?? (quick ? ['ours', 'minimal'] : all);
  const log = (s: string) => process.stderr.write(`${s}\n`);

  const env = environment();
  const loadBefore = loadavg()[0]!;
  log(environmentTable(env));
  if (!values['skip-crawl']) {
    log('building the JavaScript peers');
    await buildPeers();
  }

  const ceilings: CeilingResult[] = [];
  const withCeilings = (site: 'books' | 'articles') => async (s: { url: string }) => {
    if (values['skip-ceilings']) return;
    log(`  ${site} ceilings`);
    ceilings.push(await runCeiling('parse', site, s.url, quick));
    ceilings.push(await runCeiling('fetch', site, s.url, quick));
  };
  // The Lambda figures need the books site (the handler run crawls it), so they run while it is up.
  let lambda: LambdaFigures | undefined;
  const booksExtras = async (s: { url: string; pages: number }) => {
    await withCeilings('books')(s);
    if (!values['skip-lambda']) lambda = await lambdaFigures({ build: true, log, site: { url: s.url, pages: s.pages, count: books } });
  };
  const scenarios: ScenarioResult[] = [];
  // CI's smoke test must not wait long for a quiet machine; its times are not compared.
  const common = { rounds, warmup: !quick, concurrency: 16, quietWaitMs: quick ? 3000 : 20_000, log };
  if (!values['skip-crawl']) {
    log(`books: ${books} details, crawlers ${booksCrawlers.join(', ')}`);
    scenarios.push(await runScenario({ ...common, site: 'books', count: books, crawlers: booksCrawlers, withSite: booksExtras }));
  }
  if (!values['skip-articles'] && !values['skip-crawl']) {
    log(`articles: ${articles} details, crawlers ${articleCrawlers.join(', ')}`);
    scenarios.push(
      await runScenario({ ...common, site: 'articles', count: articles, crawlers: articleCrawlers, withSite: withCeilings('articles') }),
    );
  }

  // Many collectors in one project: CI's smoke test uses fewer, to stay quick.
  let thousand: ThousandFigures | undefined;
  if (!values['skip-thousand']) {
    const count = Number(values.thousand ?? (quick ? 200 : 1000));
    log(`a project of ${count} collectors`);
    thousand = await thousandFigures({ collectors: count, rounds: quick ? 1 : rounds, coldRuns: quick ? 5 : 15, log });
  }

  // Pages rendered in a browser: 500 in a full run (476 details and 24 listings), 30 with --quick;
  // 4 in flight for both crawlers (bench/collectors/rendered-bench.yaml says the same for ours).
  let rendered: RenderedResult | undefined;
  if (!values['skip-rendered']) {
    const count = Number(values.rendered ?? (quick ? 28 : 476));
    log(`rendered: ${count} details, ours and crawlee-playwright`);
    rendered = await runRenderedScenario({ count, rounds, concurrency: 4, quietWaitMs: common.quietWaitMs, log });
  }

  const saved: SavedRun = {
    date: new Date().toISOString(),
    quick,
    rounds,
    env,
    load: [loadBefore, loadavg()[0]!],
    scenarios,
    ceilings,
    ...(lambda ? { lambda } : {}),
    ...(thousand ? { thousand } : {}),
    ...(rendered ? { rendered } : {}),
  };
  process.stdout.write(`\n${render(saved)}\n`);

  const failures = scenarios.flatMap((s) => summarise(s).flatMap((c) => c.failures.map((f) => `${s.site} ${c.crawler}: ${f}`)));
  for (const o of rendered?.outcomes ?? []) if (o.failure) failures.push(`rendered ${o.crawler}: ${o.failure}`);
  const missing = scenarios.flatMap((s) => Object.entries(s.skipped).map(([id, why]) => `${s.site} ${id}: ${why}`));
  for (const f of failures) log(`FAILED ${f}`);
  for (const m of missing) log(`skipped ${m}`);

  await mkdir(RESULTS_DIR, { recursive: true });
  const file = values.json ?? join(RESULTS_DIR, quick ? 'quick.json' : 'latest.json');
  await writeFile(file, JSON.stringify(saved, null, 2));
  log(`results written to ${file}`);
  // A peer that is not installed is a broken bench in CI (the CI script installs them all).
  const ciMissing = process.env.CI === 'true' && missing.length > 0;
  return failures.length > 0 || ciMissing ? 1 : 0;
}

/** What a run writes to bench/.results/*.json, and all the report needs. */
interface SavedRun {
  date: string;
  quick: boolean;
  rounds: number;
  env: Environment;
  /** 1-minute load average at the start and at the end. */
  load?: [number, number];
  scenarios: ScenarioResult[];
  ceilings: CeilingResult[];
  lambda?: LambdaFigures;
  thousand?: ThousandFigures;
  rendered?: RenderedResult;
}

function render(r: SavedRun): string {
  // Other work on the machine slows every wall time; the load says how much there was.
  const load = r.load
    ? `\nLoad average (1 min) ${r.load[0].toFixed(2)} at the start, ${r.load[1].toFixed(2)} at the end, on ${r.env.cores} cores.`
    : '';
  return [
    `## Results${r.quick ? ' (--quick: one short round, not for comparison)' : ''}`,
    `${environmentTable(r.env)}${load}`,
    ...r.scenarios.flatMap((s) => [crawlTable(s, r.rounds), ratioTable(s)].filter(Boolean)),
    ...(r.scenarios[0] ? [`### Targets\n\n${targetTable(targets(r.scenarios[0], r.lambda))}`] : []),
    ...(r.ceilings.length ? [`### Ceilings\n\n${ceilingTable(r.ceilings)}`] : []),
    ...(r.lambda ? [`### Lambda-shaped figures\n\n${lambdaTable(r.lambda)}`] : []),
    ...(r.thousand
      ? [`### ${r.thousand.collectors.toLocaleString('en-US')} collectors in one project\n\n${thousandTable(r.thousand)}`]
      : []),
    ...(r.rendered ? [renderedTable(r.rendered)] : []),
  ].join('\n\n');
}

process.exitCode = await main(process.argv.slice(2));
