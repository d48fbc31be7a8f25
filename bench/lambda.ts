// Lambda-shaped figures: zip size and cold init of the bundle `npm run build`
// makes (a fresh process importing dist/lambda/index.mjs, median of 5), and a
// books run through the handler in one process (bench/lambda-run.ts): its peak
// RSS, log bytes and S3 PUTs per page.
import { execFile } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { buildScript, ROOT } from './crawlers.ts';
import { measure } from './measure.ts';
import { median } from './stats.ts';

const run = promisify(execFile);

export interface LambdaFigures {
  zipBytes?: number;
  /** Import of the bundle inside a fresh process (what the handler module costs Lambda's init). */
  coldImportMs?: number;
  /** The whole fresh process: Node's own start, the import, exit. */
  coldProcessMs?: number;
  /** The handler run in one process, under this machine's V8 defaults and with the heap of a 128 MB function. */
  runs: HandlerRun[];
  notes: string[];
}

interface HandlerRun {
  label: string;
  nodeFlags: string[];
  pages: number;
  wallS: number;
  peakRssMiB: number;
  logBytesPerPage: number;
  putsPerPage: number;
  recordsOk: boolean;
}

export interface BooksSite {
  url: string;
  pages: number;
  count: number;
}

/** V8 sizes its heap from the machine (24 GiB here) and lets garbage pile up; a 128 MB function gets a small heap. */
const HEAP_128MB = ['--max-old-space-size=96', '--max-semi-space-size=2'];

const BUNDLE = join(ROOT, 'dist', 'lambda', 'index.mjs');
const ZIP = join(ROOT, 'dist', 'lambda.zip');

const IMPORT_TIMER = `
const t = performance.now();
const m = await import(process.argv[1]);
if (typeof m.handler !== 'function') throw new Error('the bundle exports no handler');
process.stdout.write(String(performance.now() - t));
`;

/** Builds the bundle when it is missing and a build script exists; never throws. */
export async function lambdaFigures(options: { build: boolean; log: (s: string) => void; site?: BooksSite }): Promise<LambdaFigures> {
  const notes: string[] = [];
  if (options.build && existsSync(join(ROOT, 'deploy', 'build', 'build.ts'))) {
    options.log('  building the Lambda bundle (npm run build)');
    try {
      await run('npm', ['run', 'build', '--silent'], { cwd: ROOT, timeout: 300_000, maxBuffer: 8 << 20 });
    } catch (e) {
      notes.push(
        `npm run build failed: ${((e as Error & { stderr?: string }).stderr ?? (e as Error).message).trim().split('\n').slice(-3).join(' ')}`,
      );
    }
  }
  const out: LambdaFigures = { notes, runs: [] };
  if (options.site) await handlerRuns(options.site, out, options.log);
  if (existsSync(ZIP)) out.zipBytes = statSync(ZIP).size;
  else notes.push('zip size: n/a (build missing: dist/lambda.zip)');
  if (!existsSync(BUNDLE)) {
    notes.push('cold init: n/a (build missing: dist/lambda/index.mjs)');
    return out;
  }
  const imports: number[] = [];
  const processes: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    try {
      const { stdout } = await run(process.execPath, ['--input-type=module', '-e', IMPORT_TIMER, pathToFileURL(BUNDLE).href], {
        cwd: join(ROOT, 'dist', 'lambda'),
        // What Lambda sets before init; the handler module may read them at import.
        env: {
          PATH: process.env.PATH ?? '',
          AWS_REGION: 'us-east-1',
          AWS_LAMBDA_FUNCTION_NAME: 'collect-bench',
          AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '128',
          COLLECT_QUEUE_URL_PREFIX: 'https://sqs.us-east-1.amazonaws.com/123456789012/collect-bench-',
          COLLECT_LEDGER_TABLE: 'collect-bench-ledger',
          COLLECT_BUCKET: 'bench',
        },
        timeout: 30_000,
      });
      processes.push(performance.now() - t0);
      imports.push(Number(stdout));
    } catch (e) {
      notes.push(
        `cold init: the bundle failed to import: ${((e as Error & { stderr?: string }).stderr ?? (e as Error).message).trim().split('\n').slice(0, 3).join(' ')}`,
      );
      return out;
    }
  }
  out.coldImportMs = median(imports);
  out.coldProcessMs = median(processes);
  return out;
}

async function handlerRuns(site: BooksSite, out: LambdaFigures, log: (s: string) => void): Promise<void> {
  let script: string;
  try {
    script = await buildScript(join(ROOT, 'bench', 'lambda-run.ts'));
  } catch (e) {
    out.notes.push(`handler run: n/a (bench/lambda-run.ts does not build: ${(e as Error).message.split('\n')[0]})`);
    return;
  }
  for (const [label, flags] of [
    ["this machine's V8 defaults", []],
    [`heap of a 128 MB function (${HEAP_128MB.join(' ')})`, HEAP_128MB],
  ] as const) {
    log(`  Lambda handler run, ${label}`);
    const m = await measure({
      cmd: process.execPath,
      args: [...flags, script],
      cwd: ROOT,
      env: {
        ...process.env,
        BENCH_SITE_URL: site.url,
        BENCH_PAGES: String(site.pages),
        BENCH_COUNT: String(site.count),
        BENCH_COLLECTOR: join(ROOT, 'bench', 'collectors', 'books-bench.yaml'),
      },
      timeoutMs: 300_000,
    });
    const line = m.stdout.trim().split('\n').pop() ?? '';
    if (m.exitCode !== 0 || !line.startsWith('{')) {
      out.notes.push(
        `handler run (${label}): failed (exit ${m.exitCode}): ${m.stderr.trim().split('\n').slice(-3).join(' ').slice(0, 300)}`,
      );
      continue;
    }
    const r = JSON.parse(line) as {
      pages: number;
      wallS: number;
      peakRssMiB: number;
      logBytes: number;
      puts: number;
      check: { ok: boolean; problems: string[] };
    };
    if (!r.check.ok) out.notes.push(`handler run (${label}): wrong records: ${r.check.problems.join('; ')}`);
    out.runs.push({
      label,
      nodeFlags: [...flags],
      pages: r.pages,
      wallS: r.wallS,
      peakRssMiB: r.peakRssMiB,
      logBytesPerPage: r.logBytes / r.pages,
      putsPerPage: r.puts / r.pages,
      recordsOk: r.check.ok,
    });
  }
}
