// One crawl scenario: a site in its own process, every crawler run against it in
// rounds (a warm-up first), each run's output checked before its figures count.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkRecords, type CheckResult } from './check.ts';
import { CRAWLERS, type CrawlerId } from './crawlers.ts';
import { availableParallelism } from 'node:os';
import { measure } from './measure.ts';
import { waitForQuiet } from './quiet.ts';
import { startSiteProcess, type SiteProcess } from './site-process.ts';
import type { SiteKind } from './sites/paths.ts';
import { figures, type CrawlFigures } from './stats.ts';

export interface ScenarioOptions {
  site: SiteKind;
  /** Detail pages; listing pages come on top (one per 20). */
  count: number;
  crawlers: CrawlerId[];
  rounds: number;
  warmup: boolean;
  concurrency: number;
  /** Longest wait for a quiet machine before each run. */
  quietWaitMs: number;
  log: (line: string) => void;
  /** Runs while the site is up, after the crawls (the ceilings need the site). */
  withSite?: (site: SiteProcess) => Promise<void>;
}

export interface RunOutcome {
  round: number;
  crawler: CrawlerId;
  figures?: CrawlFigures;
  check?: CheckResult;
  /** Set when the run did not count: exit status, failed check or unavailable. */
  failure?: string;
  /** Cores other processes kept busy just before the run (the bench waits for less than 0.3). */
  busyBefore?: number;
}

export interface ScenarioResult {
  site: SiteKind;
  pages: number;
  count: number;
  outcomes: RunOutcome[];
  /** Crawlers that could not run here, with the reason. */
  skipped: Partial<Record<CrawlerId, string>>;
}

export async function runScenario(o: ScenarioOptions): Promise<ScenarioResult> {
  const skipped: Partial<Record<CrawlerId, string>> = {};
  const crawlers = o.crawlers.filter((id) => {
    const why = CRAWLERS[id].unavailable();
    if (why) skipped[id] = why;
    return !why;
  });
  const site = await startSiteProcess(o.site, o.count);
  const outcomes: RunOutcome[] = [];
  try {
    for (let r = o.warmup ? 0 : 1; r <= o.rounds; r++) {
      // Rotate the order so no crawler always runs first (or right after the heaviest one).
      const order = crawlers.map((_, i) => crawlers[(i + r) % crawlers.length]!);
      for (const id of order) {
        const outcome = await runOnce(id, r, o, site);
        const tag = r === 0 ? 'warm-up' : `round ${r}/${o.rounds}`;
        const f = outcome.figures;
        o.log(
          f
            ? `  ${o.site} ${tag} ${id}: ${f.pagesPerSec.toFixed(0)} pages/s, ${f.cpuMsPerPage.toFixed(2)} ms CPU/page, ${f.rssMiB.toFixed(0)} MiB ` +
                `(other load before: ${(outcome.busyBefore ?? 0).toFixed(2)} cores)`
            : `  ${o.site} ${tag} ${id}: FAILED ${outcome.failure}`,
        );
        // The warm-up counts only for its checks: a wrong output is wrong in any round.
        if (r > 0 || outcome.failure) outcomes.push(outcome);
      }
    }
    await o.withSite?.(site);
  } finally {
    await site.stop();
  }
  return { site: o.site, pages: site.pages, count: o.count, outcomes, skipped };
}

async function runOnce(id: CrawlerId, round: number, o: ScenarioOptions, site: SiteProcess): Promise<RunOutcome> {
  const crawler = CRAWLERS[id];
  const workDir = await mkdtemp(join(tmpdir(), `collect-bench-${id}-`));
  try {
    const ctx = { site: o.site, baseUrl: site.url, workDir, concurrency: o.concurrency };
    const busyBefore = await waitForQuiet(availableParallelism(), 0.3, o.quietWaitMs);
    const m = await measure(crawler.command(ctx));
    if (m.exitCode !== 0) {
      const tail = (m.stderr.trim() || m.stdout.trim()).split('\n').slice(-8).join('\n');
      return { round, crawler: id, failure: `exit status ${m.exitCode}\n${tail}` };
    }
    let records: unknown[];
    try {
      records = crawler.readRecords(ctx);
    } catch (e) {
      return { round, crawler: id, failure: `output unreadable: ${(e as Error).message}` };
    }
    const check = checkRecords(o.site, records, o.count);
    if (!check.ok)
      return { round, crawler: id, check, failure: `output check: ${check.problems.join('; ')} (${check.problemCount} problems)` };
    return { round, crawler: id, check, figures: figures(m, site.pages), busyBefore };
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}
