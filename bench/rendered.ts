// The rendered-site scenario: a local site whose items come from script
// (bench/sites/rendered-site.ts, 500 pages in a full run), crawled by our CLI
// with a browser block (bench/collectors/rendered-bench.yaml) and by Crawlee's
// PlaywrightCrawler (bench/peers/crawlee-playwright.ts), both on the same
// Chromium (Debian's /usr/bin/chromium, or COLLECT_CHROMIUM_PATH). Figures per
// run: pages/s, CPU per page (the whole tree: Node and every Chromium process),
// the tree's peak memory, and its memory a quarter and nine tenths into the
// run, which stay level when the browser is reused and its tabs recycled.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { buildScript, CRAWLERS, ROOT } from './crawlers.ts';
import { measure, type ChildCommand } from './measure.ts';
import { waitForQuiet } from './quiet.ts';
import { renderedPrice, renderedTitle } from './sites/rendered-site.ts';
import type { SiteKind } from './sites/paths.ts';
import { figures, median, medianFigures, type CrawlFigures } from './stats.ts';
import { memoryAt, peakMiB, watchTree, type TreeSample } from './tree-memory.ts';

type RenderedCrawlerId = 'ours' | 'crawlee-playwright';

interface RenderedOutcome {
  round: number;
  crawler: RenderedCrawlerId;
  /** rssMiB is the process tree's peak. */
  figures?: CrawlFigures;
  /** The tree's memory a quarter and nine tenths into the run, MiB. */
  rssEarlyMiB?: number;
  rssLateMiB?: number;
  failure?: string;
}

export interface RenderedResult {
  pages: number;
  count: number;
  chromium: string;
  outcomes: RenderedOutcome[];
  skipped: Partial<Record<RenderedCrawlerId, string>>;
}

export interface RenderedOptions {
  /** Detail pages; listings come on top, one per 20. */
  count: number;
  rounds: number;
  concurrency: number;
  quietWaitMs: number;
  log: (line: string) => void;
}

const SERVER = fileURLToPath(new URL('./rendered-server.ts', import.meta.url));
const PER_PAGE = 20;

export async function runRenderedScenario(o: RenderedOptions): Promise<RenderedResult> {
  const chromium = process.env.COLLECT_CHROMIUM_PATH ?? '/usr/bin/chromium';
  const peer = await buildScript(join(ROOT, 'bench', 'peers', 'crawlee-playwright.ts'));
  const site = await startRenderedSite(o.count);
  const outcomes: RenderedOutcome[] = [];
  try {
    for (let round = 1; round <= o.rounds; round++) {
      const order: RenderedCrawlerId[] = round % 2 ? ['ours', 'crawlee-playwright'] : ['crawlee-playwright', 'ours'];
      for (const crawler of order) {
        const outcome = await runOnce(crawler, round, { ...o, chromium, peer, site });
        const f = outcome.figures;
        o.log(
          f
            ? `  rendered round ${round}/${o.rounds} ${crawler}: ${f.pagesPerSec.toFixed(1)} pages/s, ${f.cpuMsPerPage.toFixed(0)} ms CPU/page, ` +
                `peak ${f.rssMiB.toFixed(0)} MiB, ${outcome.rssEarlyMiB!.toFixed(0)} -> ${outcome.rssLateMiB!.toFixed(0)} MiB`
            : `  rendered round ${round}/${o.rounds} ${crawler}: FAILED ${outcome.failure}`,
        );
        outcomes.push(outcome);
      }
    }
  } finally {
    await site.stop();
  }
  return { pages: site.pages, count: o.count, chromium, outcomes, skipped: {} };
}

interface RunContext extends RenderedOptions {
  chromium: string;
  peer: string;
  site: { url: string; pages: number };
}

async function runOnce(crawler: RenderedCrawlerId, round: number, o: RunContext): Promise<RenderedOutcome> {
  const workDir = await mkdtemp(join(tmpdir(), `collect-bench-rendered-${crawler}-`));
  try {
    const ctx = { site: 'rendered' as SiteKind, baseUrl: o.site.url, workDir, concurrency: o.concurrency };
    const env = { ...process.env, COLLECT_CHROMIUM_PATH: o.chromium };
    const command: ChildCommand =
      crawler === 'ours'
        ? { ...CRAWLERS.ours.command(ctx), env }
        : {
            cmd: process.execPath,
            args: [o.peer],
            cwd: workDir,
            env: {
              ...env,
              BENCH_START: `${o.site.url}/list/1`,
              BENCH_OUT: join(workDir, 'records.jsonl'),
              BENCH_CONCURRENCY: String(o.concurrency),
              BENCH_CHROMIUM: o.chromium,
              CRAWLEE_STORAGE_DIR: join(workDir, 'storage'),
            },
          };
    await waitForQuiet(availableParallelism(), 0.3, o.quietWaitMs);
    let samples: TreeSample[] = [];
    let stop: (() => TreeSample[]) | undefined;
    const m = await measure({
      ...command,
      onStart: (pid) => {
        stop = watchTree(pid).stop;
      },
    });
    samples = stop?.() ?? [];
    if (m.exitCode !== 0) {
      const tail = (m.stderr.trim() || m.stdout.trim()).split('\n').slice(-8).join('\n');
      return { round, crawler, failure: `exit status ${m.exitCode}\n${tail}` };
    }
    const records = crawler === 'ours' ? CRAWLERS.ours.readRecords(ctx) : readLines(join(workDir, 'records.jsonl'));
    const problems = checkRendered(records, o.count);
    if (problems.length)
      return { round, crawler, failure: `output check: ${problems.slice(0, 5).join('; ')} (${problems.length} problems)` };
    return {
      round,
      crawler,
      figures: { ...figures(m, o.site.pages), rssMiB: peakMiB(samples) },
      rssEarlyMiB: memoryAt(samples, 0.25),
      rssLateMiB: memoryAt(samples, 0.9),
    };
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

function readLines(file: string): unknown[] {
  try {
    return readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => JSON.parse(l) as unknown);
  } catch {
    return [];
  }
}

/** Every detail page once, with the title and price its script rendered. */
function checkRendered(records: readonly unknown[], count: number): string[] {
  const problems: string[] = [];
  const seen = new Set<number>();
  for (const r of records as { url?: string; title?: unknown; price?: unknown }[]) {
    const n = Number(/\/item\/(\d+)$/.exec(r.url ?? '')?.[1]);
    if (!Number.isInteger(n)) {
      problems.push(`a record without an item URL: ${JSON.stringify(r).slice(0, 100)}`);
      continue;
    }
    if (seen.has(n)) problems.push(`item ${n} twice`);
    seen.add(n);
    if (r.title !== renderedTitle(n)) problems.push(`item ${n}: title ${JSON.stringify(r.title)}`);
    if (r.price !== Number(renderedPrice(n))) problems.push(`item ${n}: price ${JSON.stringify(r.price)}`);
  }
  if (seen.size !== count) problems.push(`${seen.size} items, expected ${count}`);
  return problems;
}

async function startRenderedSite(count: number): Promise<{ url: string; pages: number; stop(): Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', SERVER, '--count', String(count), '--per-page', String(PER_PAGE)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const first = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`rendered site exited (${code}) before it listened`)));
  });
  const { url, pages } = JSON.parse(first) as { url: string; pages: number };
  return {
    url,
    pages,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.stdin!.end();
        setTimeout(() => child.kill('SIGKILL'), 5000).unref();
      }),
  };
}

const f0 = (n: number | undefined) => (n === undefined || !Number.isFinite(n) ? '-' : n.toFixed(n >= 100 ? 0 : 1));

/** The scenario as Markdown: one row per crawler (medians), then how ours compares. */
export function renderedTable(r: RenderedResult): string {
  const ids: RenderedCrawlerId[] = ['ours', 'crawlee-playwright'];
  const label: Record<RenderedCrawlerId, string> = {
    ours: 'collect CLI, browser block (ours)',
    'crawlee-playwright': 'Crawlee PlaywrightCrawler',
  };
  const rows = ids.map((id) => {
    const good = r.outcomes.filter((o) => o.crawler === id && o.figures);
    const med = good.length ? medianFigures(good.map((o) => o.figures!)) : undefined;
    const early = median(good.map((o) => o.rssEarlyMiB!));
    const late = median(good.map((o) => o.rssLateMiB!));
    const runs = r.outcomes.filter((o) => o.crawler === id).length;
    return {
      id,
      med,
      early,
      late,
      line: `| ${label[id]} | ${good.length}/${runs} | ${f0(med?.pagesPerSec)} | ${f0(med?.cpuMsPerPage)} | ${f0(med?.rssMiB)} | ${f0(early)} → ${f0(late)} |`,
    };
  });
  const out = [
    `### Rendered site: ${r.pages} pages whose items come from script, headless Chromium (${r.chromium})`,
    '',
    '| crawler | runs ok | pages/s | CPU ms/page (Node + Chromium) | peak memory, process tree (PSS, MiB) | memory at 25% → 90% of the run (MiB) |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows.map((x) => x.line),
  ];
  const ours = rows[0]!.med;
  const peer = rows[1]!.med;
  if (ours && peer) {
    out.push(
      '',
      `Ours against Crawlee: ${(ours.pagesPerSec / peer.pagesPerSec).toFixed(2)}x the pages/s, ` +
        `${(peer.cpuMsPerPage / ours.cpuMsPerPage).toFixed(2)}x less CPU per page, ${(peer.rssMiB / ours.rssMiB).toFixed(2)}x less peak memory (above 1: ours is better).`,
    );
  }
  return out.join('\n');
}
