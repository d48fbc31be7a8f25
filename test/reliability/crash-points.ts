// Local crashes at deterministic points: `collect run` in a child process is
// killed with SIGKILL at its N-th file-system write under --out (before it,
// after it, or half-way through it: a torn line), by a preload module
// (kill-switch.ts) rather than by a timer, so that the kill points are the
// same at any speed. First an uninterrupted run is counted: its writes, which
// of them are planning, and its records. Then, for each kill point tried, a
// run killed there is taken up the way a user would (`--resume`, or a new run
// when there is nothing to resume) and its records are compared with those of
// the uninterrupted run, key by key.
//
// Two collectors: "plan", a range variable of `seeds` start URLs (200,000 by
// default) over a local JSON API whose first 30 seeds give 2 records each and
// the rest none, with --limit 60, so that planning takes hundreds of writes
// and the run stops soon after; and "crawl", the books site's listing pages
// with a detail page per book, two pages per task and a dedupe key, so that
// every kind of task write (part, journal line with follow-ups, manifest) is
// killed at.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';
import { startBooksSite, type RunningSite } from '../../demo/sites/books-site.ts';
import { tempDir } from '../helpers/collector.ts';
import { findFiles, readParts } from '../helpers/parts.ts';
import { booksCrawlSpec } from './crash.ts';
import { KILL_ENV, type KillMode, type WriteEntry } from './kill-switch.ts';
import { seeded, type Random } from './random.ts';
import { tally } from './verdict.ts';

export interface CrashPointsOptions {
  /** Seeds of the "plan" collector (one start URL each). Default 200,000. */
  seeds?: number;
  /** Books of the "crawl" collector's site. Default 120. */
  books?: number;
  /** Kill points tried during planning (the writes up to the journal's "planned" line), per collector: a number drawn, or all. Default 'all'. */
  planning?: number | 'all';
  /** Kill points tried after planning (tasks, manifest, run index), per collector: a number drawn, or all. Default 'all'. */
  tasks?: number | 'all';
  /** Seed of the draws. Default 20261125. */
  seed?: number;
  /** Kill points tried at the same time (each in a folder of its own). Default 2. */
  parallel?: number;
  /** Called after each kill point (for progress output). */
  onPoint?: (point: KillPoint) => void;
}

type Phase = 'planning' | 'tasks';

interface KillPoint {
  collector: 'plan' | 'crawl';
  /** 1-based index of the write, among the uninterrupted run's writes under --out. */
  write: number;
  mode: KillMode;
  phase: Phase;
  /** The write the process died at, as the killed process itself logged it, e.g. `appendFileSync run=…/_checkpoint.jsonl 215032 B {"t":"add"…`. */
  what: string;
  /** False when the run ended before its N-th write (tasks finished in another order); it then counts as an uninterrupted run. */
  killed: boolean;
  /** How the run was taken up: `collect run --resume`, a new `collect run` (no run to resume: killed before its run index existed), or nothing (it had finished). */
  after: 'resume' | 'new run' | 'finished';
  /** Exit code of the run that took it up (of the run itself when the kill did not land); null when none was needed. */
  code: number | null;
  /** The status in the final manifest (`succeeded` expected). */
  status: string | null;
  expected: number;
  records: number;
  /** Keys of the uninterrupted run missing, written twice, or not in the uninterrupted run at all. */
  lost: string[];
  duplicated: string[];
  unexpected: string[];
  /** Temporary files left under --out. */
  leftovers: string[];
  /** Everything that differs from the uninterrupted run (empty when the promise held). */
  problems: string[];
}

interface CollectorCount {
  collector: 'plan' | 'crawl';
  /** Start URLs planned. */
  seeds: number;
  /** Records of the uninterrupted run. */
  records: number;
  /** File-system writes of the uninterrupted run under --out, and how many of them are planning. */
  writes: number;
  planningWrites: number;
  /** Kill points there are (every write before and after, and torn when it carries data) and how many were tried. */
  killPoints: number;
  tried: number;
}

export interface CrashPointsReport {
  collectors: CollectorCount[];
  points: KillPoint[];
  ms: number;
}

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(ROOT, 'bin/collect.mjs');
const PRODUCING_SEEDS = 30;
const RECORDS_PER_SEED = 2;

interface Collector {
  name: 'plan' | 'crawl';
  file: string;
  args: string[];
  seeds: number;
  key: (record: Record<string, unknown>) => string;
}

export async function runCrashPoints(options: CrashPointsOptions = {}): Promise<CrashPointsReport> {
  const t0 = performance.now();
  const seeds = options.seeds ?? 200_000;
  const books = options.books ?? 120;
  const dir = tempDir('collect-crash-points-');
  const preload = buildKillSwitch(dir);
  const site = await startSite(books);
  try {
    const collectors: Collector[] = [
      {
        name: 'plan',
        file: write(join(dir, 'plan.yaml'), planSpec(site.url, seeds)),
        args: ['--limit', String(PRODUCING_SEEDS * RECORDS_PER_SEED)],
        seeds,
        key: (r) => String(r.id),
      },
      {
        name: 'crawl',
        file: write(join(dir, 'crawl.yaml'), booksCrawlSpec(site.url, 'crawl')),
        args: [],
        seeds: 1,
        key: (r) => String(r.url),
      },
    ];
    const random = seeded(options.seed ?? 20261125);
    const counts: CollectorCount[] = [];
    const points: KillPoint[] = [];
    for (const c of collectors) {
      const clean = await countWrites(c, dir, preload);
      const all = clean.writes.flatMap((w) => modesOf(w).map((mode) => ({ write: w, mode })));
      const planning = all.filter((p) => p.write.i <= clean.planned);
      const tasks = all.filter((p) => p.write.i > clean.planned);
      const chosen = [...choose(random, planning, options.planning ?? 'all'), ...choose(random, tasks, options.tasks ?? 'all')];
      counts.push({
        collector: c.name,
        seeds: c.seeds,
        records: clean.expected.length,
        writes: clean.writes.length,
        planningWrites: clean.planned,
        killPoints: all.length,
        tried: chosen.length,
      });
      await inParallel(chosen, options.parallel ?? 2, async ({ write: w, mode }) => {
        const point = await killAndResume(c, dir, preload, clean.expected, w.i <= clean.planned ? 'planning' : 'tasks', w.i, mode);
        points.push(point);
        options.onPoint?.(point);
      });
    }
    points.sort((a, b) => a.collector.localeCompare(b.collector) || a.write - b.write || a.mode.localeCompare(b.mode));
    return { collectors: counts, points, ms: performance.now() - t0 };
  } finally {
    await site.close();
  }
}

function write(file: string, text: string): string {
  writeFileSync(file, text);
  return file;
}

/** The schema's ceiling on seeds, when it has one: the plan collector declares its own. */
function seedCeiling(seeds: number): string {
  const schema = JSON.parse(readFileSync(join(ROOT, 'schemas/collector.schema.json'), 'utf8')) as {
    properties?: { limits?: { properties?: { maxSeeds?: unknown } } };
  };
  return schema.properties?.limits?.properties?.maxSeeds ? `limits: { maxSeeds: ${seeds} }\n` : '';
}

const planSpec = (url: string, seeds: number) => `name: plan
variables:
  n: { range: { from: 1, to: ${seeds} } }
start: { urls: ["${url}/seed?n={{ n }}"] }
parse: json
extract:
  items: items
  fields:
    id: { path: id, type: integer, required: true }
    seed: seed
records: { dedupeKey: [id] }
output: s3://crash/plan
${seedCeiling(seeds)}`;

/** The books site, answering `/seed?n=N` too: records for the first seeds, none for the rest. */
function startSite(books: number): Promise<RunningSite> {
  return startBooksSite({
    detailCount: books,
    perPage: 10,
    intercept: (req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      if (url.pathname !== '/seed') return false;
      const n = Number(url.searchParams.get('n'));
      const items =
        n <= PRODUCING_SEEDS ? Array.from({ length: RECORDS_PER_SEED }, (_, j) => ({ id: n * RECORDS_PER_SEED + j, seed: n })) : [];
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ items }));
      return true;
    },
  });
}

/** kill-switch.ts as plain JavaScript, for `node --import`. */
function buildKillSwitch(dir: string): string {
  const outfile = join(dir, 'kill-switch.mjs');
  buildSync({
    stdin: {
      contents: "import { installKillSwitch } from './kill-switch.ts';\ninstallKillSwitch();\n",
      resolveDir: dirname(fileURLToPath(import.meta.url)),
      loader: 'ts',
    },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile,
    logLevel: 'warning',
  });
  return outfile;
}

interface CliExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function runCli(args: string[], env: Record<string, string> = {}, preload?: string): Promise<CliExit> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [...(preload ? ['--import', preload] : []), BIN, 'run', ...args, '--allow-private-network', '--quiet', '--json'],
      { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

function readLog(file: string): WriteEntry[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as WriteEntry);
}

/** The journal's "planned" line ends planning. */
const isPlannedLine = (w: WriteEntry) => w.path.endsWith('_checkpoint.jsonl') && (w.head ?? '').startsWith('{"t":"planned"');

const modesOf = (w: WriteEntry): KillMode[] => ((w.bytes ?? 0) >= 2 ? ['before', 'after', 'torn'] : ['before', 'after']);

function describe(w: WriteEntry): string {
  const path = w.path.replace(/^.*\/(run=[^/]+\/)/, '$1');
  return [w.op, path, w.bytes !== undefined ? `${w.bytes} B` : '', w.head ? `${w.head.replace(/\s+/g, ' ')}…` : '']
    .filter(Boolean)
    .join(' ');
}

/** `count` kill points drawn without replacement (in their order), or all of them. */
function choose<T>(random: Random, items: readonly T[], count: number | 'all'): T[] {
  if (count === 'all' || count >= items.length) return [...items];
  const picked = new Set<number>();
  while (picked.size < count) picked.add(Math.floor(random() * items.length));
  return [...picked].sort((a, b) => a - b).map((i) => items[i]!);
}

async function inParallel<T>(items: readonly T[], width: number, run: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await run(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.max(1, width) }, worker));
}

let folders = 0;

/** The uninterrupted run: its writes (counted, nothing killed) and its records. */
async function countWrites(
  c: Collector,
  dir: string,
  preload: string,
): Promise<{ writes: WriteEntry[]; planned: number; expected: string[] }> {
  const out = join(dir, `${c.name}-uninterrupted`);
  const log = `${out}.writes.jsonl`;
  const exit = await runCli([c.file, '--out', out, ...c.args], { [KILL_ENV.root]: out, [KILL_ENV.log]: log }, preload);
  if (exit.code !== 0) throw new Error(`the uninterrupted ${c.name} run exited with ${exit.code ?? exit.signal}: ${exit.stderr}`);
  const writes = readLog(log);
  const planned = writes.find(isPlannedLine)?.i;
  if (planned === undefined) throw new Error(`the uninterrupted ${c.name} run wrote no "planned" line: ${writes.map(describe).join('; ')}`);
  const expected = readParts(out).map(c.key);
  if (expected.length === 0) throw new Error(`the uninterrupted ${c.name} run wrote no records`);
  return { writes, planned, expected };
}

async function killAndResume(
  c: Collector,
  dir: string,
  preload: string,
  expected: readonly string[],
  phase: Phase,
  at: number,
  mode: KillMode,
): Promise<KillPoint> {
  const out = join(dir, `${c.name}-${++folders}-w${at}-${mode}`);
  const log = `${out}.writes.jsonl`;
  const problems: string[] = [];
  const first = await runCli(
    [c.file, '--out', out, ...c.args],
    { [KILL_ENV.root]: out, [KILL_ENV.log]: log, [KILL_ENV.at]: String(at), [KILL_ENV.mode]: mode },
    preload,
  );
  const killed = first.signal === 'SIGKILL';
  const hit = readLog(log).find((w) => w.kill);
  let after: KillPoint['after'] = 'finished';
  let final = first;
  if (killed) {
    const indexFile = join(out, '.collect', 'runs', `${c.name}.json`);
    const index = existsSync(indexFile) ? (JSON.parse(readFileSync(indexFile, 'utf8')) as { complete?: boolean }) : undefined;
    if (!index) after = 'new run';
    else if (!index.complete) after = 'resume';
    if (after !== 'finished') final = await runCli([c.file, '--out', out, ...c.args, ...(after === 'resume' ? ['--resume'] : [])]);
  }
  const code = killed && after === 'finished' ? null : final.code;
  if (code !== null && code !== 0)
    problems.push(`the ${killed ? after : 'run'} exited with ${final.code ?? final.signal}: ${final.stderr.trim()}`);
  if (!killed && first.signal) problems.push(`the run died of ${first.signal}: ${first.stderr.trim()}`);

  const manifests = findFiles(out, /^_manifest\.json$/).map(
    (f) => JSON.parse(readFileSync(f, 'utf8')) as { status: string; records: number },
  );
  const status = manifests.length === 1 ? manifests[0]!.status : null;
  if (manifests.length !== 1) problems.push(`${manifests.length} manifests under --out`);
  else {
    if (status !== 'succeeded') problems.push(`the run ended ${status}`);
    if (manifests[0]!.records !== expected.length)
      problems.push(`the manifest counts ${manifests[0]!.records} records, not ${expected.length}`);
  }
  const got = readParts(out).map(c.key);
  const { lost, duplicates } = tally(expected, got);
  const known = new Set(expected);
  const unexpected = [...new Set(got.filter((k) => !known.has(k)))];
  const leftovers = findFiles(out, /\.tmp$/);
  if (lost.length) problems.push(`${lost.length} records lost`);
  if (duplicates.length) problems.push(`${duplicates.length} records written twice`);
  if (unexpected.length) problems.push(`${unexpected.length} records the uninterrupted run did not write`);
  if (leftovers.length) problems.push(`temporary files left: ${leftovers.join(', ')}`);
  return {
    collector: c.name,
    write: at,
    mode,
    phase,
    what: hit ? describe(hit) : '',
    killed,
    after,
    code,
    status,
    expected: expected.length,
    records: got.length,
    lost,
    duplicated: duplicates,
    unexpected,
    leftovers,
    problems,
  };
}
