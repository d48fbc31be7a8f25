// Local crashes, as reusable code: runs `collect run` in a child process,
// kills it with SIGKILL at seeded random moments, starts it again with
// `--resume` until it finishes, and compares the records with those of an
// uninterrupted run. The approach of crash-resume.test.ts, made callable so the
// figures script can try more crash points (and the test could share it).
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startBooksSite, type RunningSite } from '../../demo/sites/books-site.ts';
import { tempDir } from '../helpers/collector.ts';
import { findFiles, readFailures, readParts } from '../helpers/parts.ts';
import { randomInt, seeded } from './random.ts';
import { tally } from './verdict.ts';

export interface CrashOptions {
  seed: number;
  /** Kills to attempt before the run is left to finish. */
  kills: number;
  /** Books on the site (10 per listing page). */
  books?: number;
}

export interface CrashReport {
  seed: number;
  /** Kills that landed (a process that had already finished was not killed). */
  kills: number;
  /** Milliseconds after start at which each kill was sent. */
  crashPoints: number[];
  /** Exit code of the last, uninterrupted start. */
  code: number | null;
  expected: number;
  records: number;
  lost: string[];
  duplicates: string[];
  /** Half-written parts left in the output folder. */
  leftovers: string[];
  /** What the run's error report says, when the last start did not exit 0. */
  errors: string[];
  out: string;
  ms: number;
}

/** The books crawl both crash scenarios kill: listing pages, a detail page per book, two pages a task. */
export const booksCrawlSpec = (url: string, name = 'crash') => `
name: ${name}
start: { urls: ["${url}/catalogue/page-1.html"] }
parse: html
extract:
  items: article.product_pod
  fields:
    title: { selector: h3 a, attr: title }
    url: { selector: h3 a, attr: href, type: url }
follow:
  field: url
  extract: { fields: { upc: "table tr:nth-child(1) td" } }
paginate: { type: next-link, selector: li.next a }
records: { dedupeKey: [url] }
scaling: { pagesPerTask: 2 }
output: s3://crash/books
`;

const BIN = new URL('../../bin/collect.mjs', import.meta.url).pathname;

/** Runs the CLI; resolves with the exit code (null when killed) and whether the kill was sent before it exited. */
function runCli(args: string[], killAfterMs?: number): Promise<{ code: number | null; killed: boolean }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, 'run', ...args, '--quiet', '--allow-private-network'], { stdio: 'ignore' });
    let killed = false;
    const timer =
      killAfterMs !== undefined
        ? setTimeout(() => {
            killed = child.exitCode === null;
            child.kill('SIGKILL');
          }, killAfterMs)
        : undefined;
    child.on('exit', (code) => {
      if (timer) clearTimeout(timer);
      resolve({ code, killed: killed && code === null });
    });
  });
}

/** A little latency per page, so that kills land in the middle of the work. */
function slowBooks(books: number): Promise<RunningSite> {
  return startBooksSite({
    detailCount: books,
    perPage: 10,
    intercept: (_req, res) => {
      const write = res.writeHead.bind(res);
      res.writeHead = ((...args: Parameters<typeof res.writeHead>) => {
        const until = Date.now() + 3;
        while (Date.now() < until);
        return write(...args);
      }) as typeof res.writeHead;
      return false;
    },
  });
}

export async function runCrashResume(options: CrashOptions): Promise<CrashReport> {
  const t0 = performance.now();
  const books = options.books ?? 120;
  const site = await slowBooks(books);
  try {
    const dir = tempDir('collect-crash-');
    const file = join(dir, 'crash.yaml');
    writeFileSync(file, booksCrawlSpec(site.url));

    const cleanOut = join(dir, 'clean');
    const started = performance.now();
    const clean = await runCli([file, '--out', cleanOut]);
    // Kills land anywhere from process start-up to near the end of a whole run.
    const runMs = performance.now() - started;
    if (clean.code !== 0) throw new Error(`the uninterrupted run exited with ${clean.code}`);
    const expected = readParts(cleanOut).map((r) => String(r.url));

    const random = seeded(options.seed);
    const out = join(dir, 'crashed');
    const crashPoints: number[] = [];
    let kills = 0;
    let code: number | null = null;
    // Kill `options.kills` starts, then let one finish. A start that finishes before its kill ends the rounds early.
    for (let round = 0; code !== 0 && round < options.kills + 8; round++) {
      const index = join(out, '.collect', 'runs', 'crash.json');
      const resumable = existsSync(index);
      // A kill that lands after the run marked itself complete (while the process exits) leaves nothing to resume.
      if (resumable && (JSON.parse(readFileSync(index, 'utf8')) as { complete?: boolean }).complete) {
        code = 0;
        break;
      }
      const args = resumable ? [file, '--out', out, '--resume'] : [file, '--out', out];
      const at = round < options.kills ? Math.round(runMs * 0.15) + randomInt(random, Math.round(runMs * 0.6)) : undefined;
      const result = await runCli(args, at);
      if (result.killed) {
        kills++;
        crashPoints.push(at!);
      } else {
        code = result.code;
      }
    }
    const got = readParts(out).map((r) => String(r.url));
    const { lost, duplicates } = tally(expected, got);
    return {
      seed: options.seed,
      kills,
      crashPoints,
      code,
      expected: expected.length,
      records: got.length,
      lost,
      duplicates,
      leftovers: findFiles(out, /\.tmp$/),
      errors: code === 0 ? [] : readFailures(out).map((f) => JSON.stringify(f)),
      out,
      ms: performance.now() - t0,
    };
  } finally {
    await site.close();
  }
}
