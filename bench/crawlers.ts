// The crawlers the bench compares, each as a command line and a reader of its output.
import { execFileSync } from 'node:child_process';
import { accessSync, constants, existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { build } from 'esbuild';
import type { ChildCommand } from './measure.ts';
import { python } from './measure.ts';
import type { SiteKind } from './sites/paths.ts';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const RESULTS_DIR = join(ROOT, 'bench', '.results');
// Built scripts sit two folders below the root, as their sources do, so the
// `new URL('../../…', import.meta.url)` paths of the modules they bundle still resolve.
const BUILD_DIR = RESULTS_DIR;

export type CrawlerId = 'ours' | 'minimal' | 'crawlee-memory' | 'crawlee-default' | 'scrapy';

interface CrawlContext {
  site: SiteKind;
  /** The site's origin, e.g. http://127.0.0.1:40000 */
  baseUrl: string;
  /** An empty folder the crawler may write to; its output goes here. */
  workDir: string;
  concurrency: number;
}

export interface Crawler {
  id: CrawlerId;
  label: string;
  /** Why it cannot run here, or undefined when it can. */
  unavailable(): string | undefined;
  command(ctx: CrawlContext): ChildCommand;
  readRecords(ctx: CrawlContext): unknown[];
}

function startUrl(site: SiteKind, baseUrl: string): string {
  return site === 'books' ? `${baseUrl}/catalogue/page-1.html` : `${baseUrl}/articles/page-1.html`;
}

function readJsonLines(text: string): unknown[] {
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as unknown);
}

/** Every file under dir whose name ends with `suffix`. */
function filesUnder(dir: string, suffix: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...filesUnder(p, suffix));
    else if (name.endsWith(suffix)) out.push(p);
  }
  return out;
}

function peerEnv(ctx: CrawlContext): NodeJS.ProcessEnv {
  return {
    ...process.env,
    BENCH_START: startUrl(ctx.site, ctx.baseUrl),
    BENCH_OUT: join(ctx.workDir, 'records.jsonl'),
    BENCH_CONCURRENCY: String(ctx.concurrency),
    BENCH_PROFILE: ctx.site,
    // Crawlee's default storage goes here (it would be ./storage).
    CRAWLEE_STORAGE_DIR: join(ctx.workDir, 'storage'),
  };
}

const peerOutput = (ctx: CrawlContext) => {
  const file = join(ctx.workDir, 'records.jsonl');
  return existsSync(file) ? readJsonLines(readFileSync(file, 'utf8')) : [];
};

/** The JavaScript peers run as plain JavaScript, as their users would ship them (no TypeScript loader). */
export async function buildPeers(): Promise<void> {
  await mkdir(BUILD_DIR, { recursive: true });
  await build({
    entryPoints: ['minimal', 'crawlee-default', 'crawlee-memory'].map((n) => join(ROOT, 'bench', 'peers', `${n}.ts`)),
    outdir: BUILD_DIR,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'warning',
  });
}

/**
 * One of our programs as plain JavaScript (packages left as imports), so a
 * measurement of it carries no TypeScript loader. Throws when it does not build.
 */
export async function buildScript(entry: string): Promise<string> {
  const outfile = join(BUILD_DIR, entry.split('/').pop()!.replace(/\.ts$/, '.mjs'));
  await mkdir(BUILD_DIR, { recursive: true });
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'silent',
  });
  return outfile;
}

function jsPeer(id: CrawlerId, label: string): Crawler {
  return {
    id,
    label,
    unavailable: () => (existsSync(join(BUILD_DIR, `${id}.mjs`)) ? undefined : 'not built'),
    command: (ctx) => ({ cmd: process.execPath, args: [join(BUILD_DIR, `${id}.mjs`)], cwd: ctx.workDir, env: peerEnv(ctx) }),
    readRecords: peerOutput,
  };
}

let scrapyVersion: string | undefined | null = null;

export function scrapyInstalled(): string | undefined {
  if (scrapyVersion === null) {
    try {
      scrapyVersion = execFileSync(python(), ['-c', 'import scrapy; print(scrapy.__version__)'], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      }).trim();
    } catch {
      scrapyVersion = undefined;
    }
  }
  return scrapyVersion;
}

/**
 * Our CLI started the way `npx collect` starts it: bin/collect.mjs run as a
 * program, so Node options on its #! line count. `node bin/collect.mjs` when the
 * file is not executable (a checkout that lost the mode).
 */
function viaBin(): { cmd: string; args: string[] } {
  const bin = join(ROOT, 'bin', 'collect.mjs');
  try {
    accessSync(bin, constants.X_OK);
    return { cmd: bin, args: [] };
  } catch {
    return { cmd: process.execPath, args: [bin] };
  }
}

export const CRAWLERS: Record<CrawlerId, Crawler> = {
  ours: {
    id: 'ours',
    label: 'collect CLI (ours)',
    unavailable: () => undefined,
    command: (ctx) => ({
      ...viaBin(),
      args: [
        ...viaBin().args,
        'run',
        join(ROOT, 'bench', 'collectors', `${ctx.site}-bench.yaml`),
        '--var',
        `base_url=${ctx.baseUrl}`,
        '--allow-private-network',
        '--out',
        join(ctx.workDir, 'out'),
        '--quiet',
      ],
      cwd: ROOT,
      env: process.env,
    }),
    readRecords: (ctx) =>
      filesUnder(join(ctx.workDir, 'out', 'bench', ctx.site), '.jsonl.gz').flatMap((f) =>
        readJsonLines(gunzipSync(readFileSync(f)).toString('utf8')),
      ),
  },
  minimal: jsPeer('minimal', 'undici + cheerio/slim (minimal)'),
  'crawlee-memory': jsPeer('crawlee-memory', 'Crawlee CheerioCrawler, persistStorage: false'),
  'crawlee-default': jsPeer('crawlee-default', 'Crawlee CheerioCrawler, default storage'),
  scrapy: {
    id: 'scrapy',
    label: 'Scrapy (Debian python3-scrapy)',
    unavailable: () => (scrapyInstalled() ? undefined : 'not installed (apt-get install python3-scrapy)'),
    command: (ctx) => ({ cmd: python(), args: [join(ROOT, 'bench', 'peers', 'scrapy_spider.py')], cwd: ctx.workDir, env: peerEnv(ctx) }),
    readRecords: peerOutput,
  },
};
