// A project of many collectors (bench/thousand/project.ts): how long
// `collect validate` and `collect generate` of all of them take (our CLI as a
// child process, wall time, CPU and peak RSS), what generate writes, and the
// Lambda's cold start with that many collectors against two: the same bundle
// built twice, a fresh process that imports it and handles one scheduled start
// (against moto), time from the process's start to the start's answer.
import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { buildLambda } from '../../deploy/build/build.ts';
import { generateFromFiles } from '../../deploy/generate/from-files.ts';
import { motoClients, startMoto, type Moto } from '../../test/helpers/moto.ts';
import { createDeploymentResources } from '../../test/lambda/support.ts';
import { ROOT } from '../crawlers.ts';
import { measure } from '../measure.ts';
import { waitForQuiet } from '../quiet.ts';
import { median } from '../stats.ts';
import { collectorName, writeThousandProject } from './project.ts';

const run = promisify(execFile);
const CLI = join(ROOT, 'bin', 'collect.mjs');
/** The collector both bundles have, whose scheduled start each fresh process handles. */
const STARTED = collectorName(1);

interface StepFigure {
  wallS: number;
  cpuS: number;
  peakRssMiB: number;
}

interface ColdStart {
  collectors: number;
  zipBytes: number;
  /** Import of the bundle in a fresh process (median). */
  importMs: number;
  /** From the process's start to the scheduled start's answer: node, import, one event (median); undefined without moto. */
  firstEventMs?: number;
}

export interface ThousandFigures {
  collectors: number;
  rounds: number;
  validate?: StepFigure;
  generate?: StepFigure;
  generated?: { files: number; bytes: number; largestLines: number; peak: number; window?: string };
  cold: ColdStart[];
  /** The many collectors' time to first task (or import) over the two's, each pair run back to back: the median. */
  coldRatio?: number;
  /** Cores other processes kept busy before the cold-start pairs (median). */
  otherLoad?: number;
  notes: string[];
}

export async function thousandFigures(options: {
  collectors: number;
  rounds: number;
  coldRuns: number;
  log: (s: string) => void;
}): Promise<ThousandFigures> {
  const { collectors, rounds, log } = options;
  const out: ThousandFigures = { collectors, rounds, cold: [], notes: [] };
  const dir = await mkdtemp(join(tmpdir(), 'collect-bench-thousand-'));
  try {
    await writeThousandProject(dir, collectors);
    // bin/collect.mjs rebuilds the CLI bundle when a source is newer: not part of the figure.
    await run(process.execPath, [CLI, '--version'], { cwd: dir });
    for (const step of ['validate', 'generate'] as const) {
      log(`  ${collectors} collectors: collect ${step} (${rounds} round${rounds === 1 ? '' : 's'})`);
      const runs: StepFigure[] = [];
      for (let i = 0; i < rounds; i++) {
        const m = await measure({ cmd: process.execPath, args: [CLI, step], cwd: dir, timeoutMs: 300_000 });
        if (m.exitCode !== 0) {
          out.notes.push(`collect ${step} failed (exit ${m.exitCode}): ${m.stderr.trim().split('\n').slice(-2).join(' ')}`);
          break;
        }
        runs.push({ wallS: m.wallMs / 1000, cpuS: m.userS + m.sysS, peakRssMiB: m.maxRssKiB / 1024 });
      }
      if (runs.length)
        out[step] = {
          wallS: median(runs.map((r) => r.wallS)),
          cpuS: median(runs.map((r) => r.cpuS)),
          peakRssMiB: median(runs.map((r) => r.peakRssMiB)),
        };
    }
    out.generated = await generatedFiles(dir);
    await coldStarts(dir, collectors, options.coldRuns, out, log);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return out;
}

async function generatedFiles(dir: string): Promise<ThousandFigures['generated']> {
  const gen = join(dir, 'deploy', 'terraform', 'generated');
  let files = 0;
  let bytes = 0;
  let largestLines = 0;
  for (const name of await readdir(gen)) {
    const text = await readFile(join(gen, name), 'utf8');
    files++;
    bytes += Buffer.byteLength(text);
    if (name.startsWith('collector_')) largestLines = Math.max(largestLines, text.split('\n').length);
  }
  const { concurrency } = await generateFromFiles({ cwd: dir, config: 'collect.config.yaml', collectors: ['collectors'] });
  return { files, bytes, largestLines, peak: concurrency.peak, ...(concurrency.window ? { window: concurrency.window } : {}) };
}

/** Builds the bundle with two collectors and with all of them, then times fresh processes, alternating the two. */
async function coldStarts(dir: string, collectors: number, runs: number, out: ThousandFigures, log: (s: string) => void): Promise<void> {
  const two = join(dir, 'two');
  await mkdir(two);
  for (const i of [0, 1]) await copyFile(join(dir, 'collectors', `${collectorName(i)}.yaml`), join(two, `${collectorName(i)}.yaml`));
  const builds: { collectors: number; bundle: string; zipBytes: number }[] = [];
  for (const [n, source] of [
    [2, two],
    [collectors, join(dir, 'collectors')],
  ] as const) {
    log(`  Lambda bundle with ${n} collectors`);
    const built = await buildLambda({ cwd: ROOT, collectors: [source], outDir: join(dir, `dist-${n}`), measure: false });
    builds.push({ collectors: n, bundle: built.bundle, zipBytes: built.zipBytes });
  }

  let moto: Moto | undefined;
  // (Lambda runs Node 22: the SDK's warning about Node 20 is not part of a cold start there.)
  let env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH ?? '',
    AWS_REGION: 'us-east-1',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
  try {
    moto = await startMoto();
    const res = await createDeploymentResources(motoClients(moto.endpoint), [STARTED], 5);
    env = {
      ...env,
      AWS_ENDPOINT_URL: moto.endpoint,
      AWS_ACCESS_KEY_ID: 'bench',
      AWS_SECRET_ACCESS_KEY: 'bench',
      COLLECT_BUCKET: res.bucket,
      COLLECT_QUEUE_URL_PREFIX: res.queueUrlPrefix,
      COLLECT_LEDGER_TABLE: res.table,
      COLLECT_DEAD_LETTER_QUEUE_ARN: res.deadLetterQueue.arn,
      POWERTOOLS_LOG_LEVEL: 'WARN',
    };
  } catch (e) {
    out.notes.push(`time to first task: n/a (moto: ${(e as Error).message.split('\n')[0]}); import times only`);
    env = {
      ...env,
      COLLECT_QUEUE_URL_PREFIX: 'https://sqs.us-east-1.amazonaws.com/123456789012/bench-',
      COLLECT_LEDGER_TABLE: 'bench-ledger',
    };
  }
  const script = join(dir, 'first-event.mjs');
  await writeFile(script, FIRST_EVENT);
  const times = new Map<number, { importMs: number[]; firstEventMs: number[] }>(
    builds.map((b) => [b.collectors, { importMs: [], firstEventMs: [] }]),
  );
  const ratios: number[] = [];
  const loads: number[] = [];
  log(`  cold starts: ${runs} fresh processes each, in pairs, after waiting for a quiet machine`);
  try {
    for (let i = 0; i < runs; i++) {
      loads.push(await waitForQuiet(availableParallelism(), 0.3, 10_000));
      const pair = new Map<number, number>();
      for (const b of i % 2 === 0 ? builds : [...builds].reverse()) {
        // A new scheduled time each time: every process starts a new run, none meets one already started.
        const scheduledTime = new Date(Date.UTC(2026, 10, 30, 6, 0, 0) + (i * 2 + b.collectors) * 60_000).toISOString();
        const { stdout } = await run(
          process.execPath,
          [script, pathToFileURL(b.bundle).href, STARTED, scheduledTime, moto ? 'event' : 'import'],
          {
            cwd: dir,
            env,
            timeout: 60_000,
          },
        );
        const r = JSON.parse(stdout.trim().split('\n').pop()!) as { importMs: number; firstEventMs?: number };
        times.get(b.collectors)!.importMs.push(r.importMs);
        if (r.firstEventMs !== undefined) times.get(b.collectors)!.firstEventMs.push(r.firstEventMs);
        pair.set(b.collectors, r.firstEventMs ?? r.importMs);
      }
      ratios.push(pair.get(collectors)! / pair.get(2)!);
    }
  } catch (e) {
    out.notes.push(
      `cold start failed: ${((e as Error & { stderr?: string }).stderr ?? (e as Error).message).trim().split('\n').slice(-3).join(' ')}`,
    );
  } finally {
    await moto?.stop();
  }
  if (ratios.length) out.coldRatio = median(ratios);
  if (loads.length) out.otherLoad = median(loads);
  for (const b of builds) {
    const t = times.get(b.collectors)!;
    if (t.importMs.length === 0) continue;
    out.cold.push({
      collectors: b.collectors,
      zipBytes: b.zipBytes,
      importMs: median(t.importMs),
      ...(t.firstEventMs.length ? { firstEventMs: median(t.firstEventMs) } : {}),
    });
  }
}

/** Run in a fresh process: import the bundle, handle one scheduled start, print the times (ms since the process started). */
const FIRST_EVENT = `
const [bundle, collector, scheduledTime, what] = process.argv.slice(2);
const before = performance.now();
const { handler } = await import(bundle);
const importMs = performance.now() - before;
if (what !== 'event') {
  console.log(JSON.stringify({ importMs }));
} else {
  const started = await handler({ collector, scheduledTime }, { awsRequestId: 'bench', getRemainingTimeInMillis: () => 60000 });
  if (started.seeds !== 1 || !started.opened) throw new Error('unexpected start: ' + JSON.stringify(started));
  console.log(JSON.stringify({ importMs, firstEventMs: performance.now() }));
}
`;

/** The section of the report. */
export function thousandTable(f: ThousandFigures): string {
  const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
  const step = (s: StepFigure | undefined) =>
    s ? [`${fmt(s.wallS, 2)}`, `${fmt(s.cpuS, 2)}`, `${fmt(s.peakRssMiB)}`] : ['n/a', 'n/a', 'n/a'];
  const rows: string[][] = [
    [`collect validate (${fmt(f.collectors)} files)`, ...step(f.validate)],
    [`collect generate (${fmt(f.collectors)} collectors, every environment)`, ...step(f.generate)],
  ];
  const lines = [table([`our CLI, median of ${f.rounds}`, 'wall s', 'CPU s', 'peak RSS MiB'], rows)];
  if (f.generated) {
    const g = f.generated;
    lines.push(
      `generate wrote ${fmt(g.files)} files (${fmt(g.bytes / 2 ** 20, 1)} MiB): one per collector (the longest ${g.largestLines} lines) and two that name none; ` +
        `the collectors' peak concurrency is ${fmt(g.peak)} invocations${g.window ? ` (${g.window})` : ''}.`,
    );
  }
  if (f.cold.length) {
    lines.push(
      table(
        ['Lambda bundle', 'zip KiB', 'import ms (median)', 'time to first task ms (median)'],
        f.cold.map((c) => [
          `${fmt(c.collectors)} collectors`,
          fmt(c.zipBytes / 1024),
          fmt(c.importMs, 1),
          c.firstEventMs === undefined ? 'n/a' : fmt(c.firstEventMs, 1),
        ]),
      ),
    );
    const [, many] = f.cold;
    if (many && f.coldRatio !== undefined) {
      const ratio = f.coldRatio;
      const what = many.firstEventMs !== undefined ? 'time to first task' : 'import';
      lines.push(
        table(
          ['target', 'measured', 'met'],
          [
            [
              `${what} with ${fmt(many.collectors)} collectors within 20% of with 2 (median of the pairs' ratios)`,
              `${fmt(ratio, 2)}x`,
              ratio <= 1.2 ? 'yes' : '**no**',
            ],
          ],
        ),
      );
      if (f.otherLoad !== undefined) lines.push(`Other processes kept ${fmt(f.otherLoad, 2)} cores busy before the pairs (median).`);
    }
  }
  lines.push(...f.notes.map((n) => `- ${n}`));
  return lines.join('\n\n');
}

function table(head: string[], rows: string[][]): string {
  return [
    `| ${head.join(' | ')} |`,
    `| --- |${head
      .slice(1)
      .map(() => ' ---: |')
      .join('')}`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
}
