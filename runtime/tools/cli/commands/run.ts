import { relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { runLocal, type LocalRunOptions, type LocalRunResult } from '../../../drivers/local/run.ts';
import { FolderSink } from '../../../adapters/folder-sink.ts';
import { keyProblem } from '../../../language/path-bounds.ts';
import { parseS3Uri, type S3Location } from '../../../language/s3-uri.ts';
import { StdoutSink } from '../../../adapters/stdout-sink.ts';
import { loadCollectorFile } from '../../../language/load.ts';
import { secretReferencesIn } from '../../../core/secrets.ts';
import { requestTextOf } from '../../../language/secret-references.ts';
import { checkVars, optionalInt, parseVars } from '../args.ts';
import { UsageError, type CliIO, type Command } from '../command.ts';
import { formatBytes, formatDuration, table } from '../format.ts';
import { createProgress } from '../progress.ts';
import { projectPath } from '../project.ts';

const usage = `Usage: collect run FILE [options]

Runs one collector on this machine and writes its records under --out, in the
same layout as on S3: <out>/<bucket>/<prefix>/dt=YYYY-MM-DD/run=<runId>/part-<taskId>.jsonl.gz
plus _run.json, _manifest.json and _errors/<taskId>.json for tasks with failures.
With --out s3://BUCKET[/ROOT] the run goes to S3 with the keys the Lambda uses
(below ROOT/ when given): a backfill from a laptop or an EC2 instance. Every
\${env:...} and \${ssm:...} the collector uses is resolved before the first
request; a missing one stops the run before anything is written.

Options:
  --out DIR|s3://BUCKET[/ROOT]
                            output folder (default out/ at the project's root), or S3
  --limit N                 stop after N records
  --max-pages N             stop each pagination chain after N pages
  --var NAME=VALUE          set a declared variable (repeatable); replaces its values
  --stdout                  write records to stdout as JSON Lines; everything else goes to stderr
  --json                    print the run's summary as JSON instead of a table
  --allow-private-network   allow loopback and private addresses (local test sites), never cloud metadata
  --resume                  continue this collector's last unfinished run under --out
  --force                   with --resume: resume even though the collector changed since the run started
  --quiet                   no progress line and no summary

Progress: a live line on a terminal, a line every 5 s otherwise (stderr).
Ctrl-C stops the run; the message says how to resume it.

Exit status: 0 when the run succeeded; 1 when pages failed for good or the
collector's expect block was not met (minRecords only when no --limit or
--max-pages cut the run short); 2 for a usage error; 130 when interrupted.

Example:
  collect run collectors/books-toscrape.yaml --limit 100 --var base_url=http://127.0.0.1:8080
  collect run collectors/books-toscrape.yaml --out s3://my-data-lake-dev`;

export const runCommand: Command = {
  name: 'run',
  summary: 'run a collector locally and write its records to a folder, S3 or stdout',
  usage,
  async run(argv: string[], io: CliIO): Promise<number> {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        out: { type: 'string' },
        limit: { type: 'string' },
        'max-pages': { type: 'string' },
        var: { type: 'string', multiple: true },
        stdout: { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
        'allow-private-network': { type: 'boolean', default: false },
        resume: { type: 'boolean', default: false },
        force: { type: 'boolean', default: false },
        quiet: { type: 'boolean', default: false },
      },
    });
    if (positionals.length !== 1) throw new UsageError('give exactly one collector file');
    const file = resolve(io.cwd, positionals[0]!);
    const vars = parseVars(values.var ?? []);
    const limit = optionalInt(values.limit, '--limit');
    const maxPages = optionalInt(values['max-pages'], '--max-pages');
    const toS3 = values.out?.startsWith('s3://') ?? false;
    if (toS3 && values.stdout) throw new UsageError('--stdout and --out s3://… both say where records go; give one');
    // With S3 as the destination, the checkpoint and run index still live in the project's out/.
    const outDir = values.out && !toS3 ? resolve(io.cwd, values.out) : projectPath(io.cwd, 'out');
    const loaded = await loadCollectorFile(file);
    checkVars(vars, loaded.collector);

    const folder = new FolderSink(outDir);
    const where: Pick<LocalRunOptions, 'sink' | 'relocate' | 'ssm'> = values.stdout
      ? { sink: new StdoutSink(io.stdout, folder) }
      : { sink: folder };
    if (toS3) Object.assign(where, await s3Destination(values.out!, io.env, loaded.hash));
    if (secretReferencesIn(requestTextOf(loaded.collector)).some((r) => r.source === 'ssm')) {
      const { ssmResolverFromEnv } = await import('../../../adapters/aws/cli-clients.ts');
      where.ssm = ssmResolverFromEnv(io.env);
    }

    const log = values.stdout || values.json ? io.stderr : io.stdout;
    const progress = values.quiet ? undefined : createProgress(io.stderr, { label: loaded.collector.name, tty: Boolean(io.stderr.isTTY) });
    const resumeHint = `npx collect run ${relative(io.cwd, file) || file} --resume${values.out ? ` --out ${values.out}` : ''}`;
    const onInterrupt = () => {
      progress?.stop();
      const s = progress?.snapshot();
      io.stderr.write(
        `\ninterrupted${s ? ` after ${s.pages} pages and ${s.records} records` : ''}; the run keeps what it finished. Go on where it stopped with:\n  ${resumeHint}\n`,
      );
      process.exit(130);
    };
    process.once('SIGINT', onInterrupt);
    let result: LocalRunResult;
    try {
      result = await runLocal({
        collector: loaded.collector,
        specHash: loaded.hash,
        outDir,
        vars,
        ...(limit !== undefined ? { limit } : {}),
        ...(maxPages !== undefined ? { maxPages } : {}),
        allowPrivateNetwork: values['allow-private-network'],
        resume: values.resume,
        force: values.force,
        ...where,
        env: io.env,
        onProgress: (p) => progress?.update(p),
      });
    } finally {
      process.removeListener('SIGINT', onInterrupt);
      progress?.stop();
    }

    const m = result.manifest;
    const location = toS3 ? `${result.run.output.replace(/\/+$/, '')}/dt=…/run=${m.runId}/` : relative(io.cwd, result.runDir) || '.';
    if (values.json) {
      io.stdout.write(
        `${JSON.stringify({ ...m, output: toS3 ? result.run.output : result.runDir, failureDetails: result.failures.slice(0, 20) }, null, 2)}\n`,
      );
    } else if (!values.quiet) {
      const rate = m.durationMs > 0 ? (m.pages * 1000) / m.durationMs : 0;
      const rows: [string, string][] = [
        ['collector', m.collector],
        ['run', m.runId],
        ['status', m.status],
        ['pages', `${m.pages} (${rate.toFixed(1)} pages/s)${m.pagesReused ? `, ${m.pagesReused} reused (fetched once)` : ''}`],
        ['records', String(m.records)],
      ];
      const dropped = describeDropped(m.dropped);
      if (dropped) rows.push(['dropped', dropped]);
      rows.push(
        ['failures', String(m.failures)],
        ['retries', String(m.retries)],
        ['downloaded', formatBytes(m.bytes)],
        ['duration', formatDuration(m.durationMs)],
        ['output', location],
      );
      log.write(`\n${table(rows)}`);
      for (const w of m.warnings.slice(0, 10)) log.write(`warning: ${w}\n`);
      for (const f of result.failures.slice(0, 10)) log.write(`failed: ${f.url}: ${f.message}\n`);
      if (result.failures.length > 10) log.write(`... ${result.failures.length - 10} more failures in _errors/\n`);
      for (const p of m.expectations.problems) log.write(`expectation not met: ${p}\n`);
    }
    return m.status === 'succeeded' ? 0 : 1;
  },
};

const DROP_WHY = {
  duplicate: 'duplicates (records.dedupeKey)',
  old: 'older than the last run (records.incremental)',
  limit: 'over --limit',
} as const;

function describeDropped(dropped: Partial<Record<keyof typeof DROP_WHY, number>>): string {
  return (Object.keys(DROP_WHY) as (keyof typeof DROP_WHY)[])
    .filter((k) => (dropped[k] ?? 0) > 0)
    .map((k) => `${dropped[k]} ${DROP_WHY[k]}`)
    .join(', ');
}

/** `--out s3://BUCKET[/ROOT]`: the Lambda's keys in BUCKET, below ROOT/ when given. */
async function s3Destination(uri: string, env: CliIO['env'], specHash: string): Promise<Pick<LocalRunOptions, 'sink' | 'relocate'>> {
  let target: S3Location;
  try {
    target = parseS3Uri(uri);
  } catch {
    throw new UsageError(`--out ${uri} is not an s3://bucket[/prefix] location`);
  }
  // The same rule as a collector's output: the run's keys stay below ROOT.
  const problem = keyProblem(`${target.bucket}/${target.prefix}`, `--out ${uri}`);
  if (problem) throw new UsageError(`${problem.message}${problem.hint ? ` (${problem.hint})` : ''}`);
  const [{ s3ClientFromEnv }, { S3Sink }] = await Promise.all([
    import('../../../adapters/aws/cli-clients.ts'),
    import('../../../adapters/aws/s3-sink.ts'),
  ]);
  return {
    sink: new S3Sink(s3ClientFromEnv(env), { specHash }),
    relocate: (output) => {
      const { prefix } = parseS3Uri(output);
      return `s3://${target.bucket}/${[target.prefix, prefix].filter(Boolean).join('/')}`;
    },
  };
}
