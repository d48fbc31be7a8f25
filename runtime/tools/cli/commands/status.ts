import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { listRuns, manifestOf, readRunStatus, writeManifest, type RunStatus } from '../../../adapters/aws/run-status.ts';
import { isRunId } from '../../../core/engine/run-id.ts';
import { loadCollectorFile } from '../../../language/load.ts';
import type { ResolvedCollector as Collector } from '../../../language/generated/resolved.types.ts';
import { parseS3Uri } from '../../../language/s3-uri.ts';
import { render, templateVariables } from '../../../language/template.ts';
import { UsageError, type CliIO, type Command } from '../command.ts';
import { formatBytes, formatDuration, table } from '../format.ts';
import { projectPath } from '../project.ts';
import { s3ClientFromEnv } from '../../../adapters/aws/cli-clients.ts';
import { constantVariables } from '../../../language/variables.ts';

const usage = `Usage: collect status COLLECTOR [RUN_ID] [options]

Totals of a collector's runs on S3, summed from the stats that every task
stores with its own part (object metadata): no CloudWatch needed. Without
RUN_ID it lists the latest runs; with RUN_ID (or "latest") it shows that run's
pages, records, failures, retries, bytes, duration, tasks and error report.

COLLECTOR is a collector name (read from --collectors DIR/NAME.yaml) or a file.

Options:
  --bucket NAME        bucket to read (default: $COLLECT_BUCKET, else the bucket in the collector's output)
  --prefix PREFIX      the collector's output prefix, when its output uses run templates
  --endpoint URL       S3 endpoint, e.g. moto or LocalStack (default: the SDK's, AWS_ENDPOINT_URL_S3)
  --collectors DIR     folder of the collector files (default collectors)
  --write-manifest     write the run's _manifest.json (for a run that has finished)
  --limit N            runs to list (default 10)
  --format text|json   output format (default text)

A run on AWS has no single end (no invocation knows that it ran the last
task), so its manifest is written by this command once the run's queue is empty.

Exit status: 0; 1 when the run has failures, misses its expect block, or is not found; 2 for a usage error.

Example:
  collect status books-toscrape latest --bucket my-data-lake-prod`;

export const statusCommand: Command = {
  name: 'status',
  summary: "show a run's totals on S3 (pages, records, failures, bytes) from its parts' metadata",
  usage,
  async run(argv: string[], io: CliIO): Promise<number> {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        bucket: { type: 'string' },
        prefix: { type: 'string' },
        endpoint: { type: 'string' },
        collectors: { type: 'string' },
        'write-manifest': { type: 'boolean', default: false },
        limit: { type: 'string', default: '10' },
        format: { type: 'string', default: 'text' },
      },
    });
    if (positionals.length < 1 || positionals.length > 2) throw new UsageError('give a collector and, optionally, a run id');
    const format = values.format;
    if (format !== 'text' && format !== 'json') throw new UsageError(`--format is text or json, not "${format}"`);
    const limit = Number(values.limit);
    if (!Number.isInteger(limit) || limit < 1) throw new UsageError(`--limit takes a whole number of at least 1, not "${values.limit}"`);
    const runArg = positionals[1];
    if (runArg !== undefined && runArg !== 'latest' && !isRunId(runArg))
      throw new UsageError(`"${runArg}" is not a run id (like 20240101T060000Z) or "latest"`);

    const collector = await loadNamedCollector(
      positionals[0]!,
      values.collectors ? resolve(io.cwd, values.collectors) : projectPath(io.cwd, 'collectors'),
      io.cwd,
    );
    const { bucket, prefix } = outputPrefix(collector, values.prefix, values.bucket ?? (io.env.COLLECT_BUCKET || undefined));
    const s3 = s3ClientFromEnv(io.env, values.endpoint);
    try {
      if (runArg === undefined) {
        const runs = await listRuns(s3, bucket, prefix, limit);
        if (format === 'json') io.stdout.write(`${JSON.stringify(runs, null, 2)}\n`);
        else if (runs.length === 0) io.stdout.write(`no runs of ${collector.name} under s3://${bucket}/${prefix}/\n`);
        else {
          io.stdout.write(`runs of ${collector.name} under s3://${bucket}/${prefix}/, latest first:\n`);
          io.stdout.write(table(runs.map((r) => [r.runId, r.date])));
        }
        return 0;
      }
      const runs = await listRuns(s3, bucket, prefix, runArg === 'latest' ? 1 : 1000);
      const run = runArg === 'latest' ? runs[0] : runs.find((r) => r.runId === runArg);
      if (!run) {
        io.stderr.write(
          `collect status: no run ${runArg === 'latest' ? '' : `${runArg} `}of ${collector.name} under s3://${bucket}/${prefix}/\n`,
        );
        return 1;
      }
      const status = await readRunStatus(s3, bucket, run.prefix);
      const manifest = manifestOf(status, collector, values['write-manifest']!);
      const manifestKey = values['write-manifest'] ? await writeManifest(s3, status, manifest) : undefined;
      if (format === 'json') {
        io.stdout.write(`${JSON.stringify({ ...status, manifest, ...(manifestKey ? { manifestKey } : {}) }, null, 2)}\n`);
      } else {
        io.stdout.write(describe(collector.name, status, manifest.expectations.problems));
        if (manifestKey) io.stdout.write(`manifest written: s3://${bucket}/${manifestKey}\n`);
      }
      return status.stats.failures > 0 || !manifest.expectations.ok ? 1 : 0;
    } finally {
      s3.destroy();
    }
  },
};

async function loadNamedCollector(arg: string, dir: string, cwd: string): Promise<Collector> {
  const file = /\.ya?ml$/i.test(arg) ? resolve(cwd, arg) : resolve(dir, `${arg}.yaml`);
  return (await loadCollectorFile(file, cwd)).collector;
}

/** The bucket and the run-independent key prefix under which a collector's runs live. */
function outputPrefix(
  collector: Collector,
  prefixOption: string | undefined,
  bucketOption: string | undefined,
): { bucket: string; prefix: string } {
  const { bucket } = parseS3Uri(collector.output);
  if (prefixOption !== undefined) return { bucket: bucketOption ?? bucket, prefix: prefixOption.replace(/^\/+|\/+$/g, '') };
  const constants: Record<string, string> = { ...constantVariables(collector.variables), name: collector.name };
  const { prefix } = parseS3Uri(collector.output);
  const unknown = templateVariables(prefix).filter((v) => constants[v] === undefined);
  if (unknown.length)
    throw new UsageError(`the output of ${collector.name} uses {{ ${unknown[0]} }}, which differs per run: give --prefix`);
  return { bucket: bucketOption ?? bucket, prefix: render(prefix, constants) };
}

function describe(name: string, s: RunStatus, problems: string[]): string {
  const rows: [string, string][] = [
    ['location', `s3://${s.bucket}/${s.prefix}/`],
    ['started', s.startedAt ?? 'unknown'],
    ['last write', s.lastWriteAt ?? 'none yet'],
    ['tasks', `${s.tasks}${s.start ? ` (from ${s.start.seeds} seeds)` : ''}`],
    ['pages', String(s.stats.pages)],
    ['records', String(s.stats.records)],
    ['failures', String(s.stats.failures)],
    ['retries', String(s.stats.retries)],
    ['downloaded', formatBytes(s.stats.bytes)],
    ['duration', `${s.wallMs !== undefined ? formatDuration(s.wallMs) : 'unknown'} (${formatDuration(s.stats.durationMs)} of task time)`],
  ];
  if (s.specHashes.length > 1) rows.push(['spec', `changed during the run: ${s.specHashes.join(', ')}`]);
  let text = `${name} run ${s.runId}\n${table(rows)}`;
  if (s.errors.length) {
    text += `error report: ${s.errors.length} ${s.errors.length === 1 ? 'task' : 'tasks'} with problems (s3://${s.bucket}/${s.prefix}/_errors/)\n`;
    const failures = s.errors.flatMap((e) => e.failures);
    for (const f of failures.slice(0, 10)) text += `  failed: ${f.url}: ${f.message}\n`;
    if (failures.length > 10) text += `  ... ${failures.length - 10} more\n`;
    for (const w of [...new Set(s.errors.flatMap((e) => e.warnings))].slice(0, 10)) text += `  warning: ${w}\n`;
  }
  for (const p of problems) text += `expectation not met: ${p}\n`;
  return text;
}
