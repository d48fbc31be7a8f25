import { parseArgs } from 'node:util';
import { readManifest } from '../../../adapters/aws/run-files.ts';
import { isRunId } from '../../../core/engine/run-id.ts';
import type { Task } from '../../../core/engine/task.ts';
import type { RunLedger, RunRecord, TaskFailure } from '../../../core/ledger/ledger.ts';
import type { Manifest } from '../../../core/output/manifest.ts';
import { optionalInt } from '../args.ts';
import { awsClients, awsProject, missingDeployment } from '../aws-project.ts';
import { UsageError, type CliIO, type Command } from '../command.ts';
import { formatBytes, formatDuration, table } from '../format.ts';

const usage = `Usage: collect status COLLECTOR [RUN_ID] [options]

Reads the run ledger of a deployment (its DynamoDB table, which the function
keeps as tasks run): without RUN_ID the latest runs of COLLECTOR; with RUN_ID
(or "latest") that run: running (tasks done and open), succeeded, failed or
stalled, with its pages, records, dropped records, failures, the tasks that
failed for good and why, and its manifest once the function has written it.

Options:
  --wait               follow the run until it ends (a line every 10 s)
  --timeout SECONDS    how long --wait waits (default 3600)
  --json               print JSON
  --limit N            runs to list (default 10)
  --env NAME           environment of collect.config.yaml (default dev)
  --config FILE        project config (default collect.config.yaml at the project's root)
  --function NAME      the deployment's function name, instead of reading the config
  --endpoint URL       AWS endpoint, e.g. moto or LocalStack (default: the SDK's)

Exit status: 0 when the run succeeded or is still running; 1 when it failed,
stalled or is not found (with --wait: when it did not succeed); 2 for a usage error.

Example:
  collect status books-toscrape
  collect status books-toscrape latest --env prod --wait`;

export const statusCommand: Command = {
  name: 'status',
  summary: "show a collector's runs on AWS from the run ledger: running, succeeded, failed or stalled",
  usage,
  async run(argv: string[], io: CliIO): Promise<number> {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        wait: { type: 'boolean', default: false },
        timeout: { type: 'string' },
        json: { type: 'boolean', default: false },
        limit: { type: 'string' },
        env: { type: 'string' },
        config: { type: 'string' },
        function: { type: 'string' },
        endpoint: { type: 'string' },
      },
    });
    if (positionals.length < 1 || positionals.length > 2) throw new UsageError('give a collector and, optionally, a run id');
    const collector = positionals[0]!;
    const runArg = positionals[1];
    if (runArg !== undefined && runArg !== 'latest' && !isRunId(runArg))
      throw new UsageError(`"${runArg}" is not a run id (like 20240101T060000Z) or "latest"`);
    if (values.wait && runArg === undefined) throw new UsageError('--wait follows one run: give its id or "latest"');
    const limit = optionalInt(values.limit, '--limit') ?? 10;
    const timeoutMs = (optionalInt(values.timeout, '--timeout') ?? 3600) * 1000;
    const project = await awsProject(io, values);
    const clients = awsClients(io, project, values.endpoint);
    try {
      if (runArg === undefined) return await listRuns(io, clients.ledger, collector, limit, values.json);
      let run = runArg === 'latest' ? (await clients.ledger.runs(collector, 1))[0] : await clients.ledger.get(collector, runArg);
      if (!run) {
        io.stderr.write(
          `collect status: no run ${runArg === 'latest' ? '' : `${runArg} `}of ${collector} in ${project.functionName}'s ledger\n`,
        );
        return 1;
      }
      if (values.wait) run = await follow(io, clients.ledger, run, timeoutMs, !values.json);
      const failed = run.failedTasks > 0 ? await clients.ledger.failedTasks(collector, run.runId) : [];
      const manifest =
        run.state === 'running' ? undefined : await readManifest(clients.s3, { collector, runId: run.runId, output: run.output });
      if (values.json) io.stdout.write(`${JSON.stringify({ ...run, failed, ...(manifest ? { manifest } : {}) }, null, 2)}\n`);
      else io.stdout.write(describe(run, failed, manifest));
      if (values.wait) return run.state === 'succeeded' ? 0 : 1;
      return run.state === 'succeeded' || run.state === 'running' ? 0 : 1;
    } catch (err) {
      const missing = missingDeployment(err, project);
      if (!missing) throw err;
      io.stderr.write(`collect status: ${missing}\n`);
      return 1;
    } finally {
      clients.destroy();
    }
  },
};

async function listRuns(io: CliIO, ledger: RunLedger, collector: string, limit: number, json: boolean): Promise<number> {
  const runs = await ledger.runs(collector, limit);
  if (json) {
    io.stdout.write(`${JSON.stringify(runs, null, 2)}\n`);
    return 0;
  }
  if (runs.length === 0) {
    io.stdout.write(`no runs of ${collector} in the ledger\n`);
    return 0;
  }
  io.stdout.write(`runs of ${collector}, latest first:\n`);
  io.stdout.write(table(runs.map((r) => [r.runId, `${r.state.padEnd(9)} ${progress(r)}, ${r.stats.records} records`])));
  return 0;
}

/** Polls the ledger until the run ends, printing a line every 10 s (when not JSON). */
async function follow(io: CliIO, ledger: RunLedger, start: RunRecord, timeoutMs: number, print: boolean): Promise<RunRecord> {
  const until = Date.now() + timeoutMs;
  let run = start;
  let said = 0;
  while (run.state === 'running' || run.state === 'stalled') {
    if (Date.now() > until) {
      if (print) io.stderr.write(`still ${run.state} after ${formatDuration(timeoutMs)}\n`);
      return run;
    }
    if (print && Date.now() - said >= 10_000) {
      io.stderr.write(`${run.collector} ${run.runId}: ${run.state}, ${progress(run)}, ${run.stats.records} records\n`);
      said = Date.now();
    }
    await new Promise((r) => setTimeout(r, 2_000));
    run = (await ledger.get(run.collector, run.runId)) ?? run;
  }
  return run;
}

function progress(r: RunRecord): string {
  return `${r.done} tasks done, ${r.open} open${r.failedTasks ? `, ${r.failedTasks} failed` : ''}`;
}

function describe(r: RunRecord, failed: { task: Task; failure: TaskFailure }[], manifest: Manifest | undefined): string {
  const started = Date.parse(r.startedAt);
  const ended = r.finishedAt ? Date.parse(r.finishedAt) : Date.parse(r.updatedAt);
  const dropped = Object.entries(r.stats.dropped ?? {}).filter(([, n]) => (n ?? 0) > 0);
  const rows: [string, string][] = [
    ['state', r.state],
    ['tasks', progress(r)],
    ['pages', String(r.stats.pages)],
    ['records', String(r.stats.records)],
    ...(dropped.length ? [['dropped', dropped.map(([k, n]) => `${n} ${k}`).join(', ')] as [string, string]] : []),
    ['failures', String(r.stats.failures)],
    ['downloaded', formatBytes(r.stats.bytes)],
    ['started', r.startedAt],
    ['duration', Number.isFinite(ended - started) ? formatDuration(ended - started) : 'unknown'],
    ['output', r.output],
  ];
  let text = `${r.collector} run ${r.runId}\n${table(rows)}`;
  for (const f of failed.slice(0, 10)) text += `  failed task ${f.task.id} (${f.task.url}): ${f.failure.error}: ${f.failure.message}\n`;
  if (failed.length > 10) text += `  ... ${failed.length - 10} more failed tasks\n`;
  if (failed.length) text += `  retry them after a fix: npx collect retry ${r.collector} ${r.runId}\n`;
  if (manifest) {
    text += `manifest: ${manifest.status}, ${manifest.records} records in ${manifest.parts.length} parts\n`;
    for (const p of manifest.expectations.problems) text += `  expectation not met: ${p}\n`;
  } else if (r.state !== 'running') text += 'manifest: not written yet\n';
  return text;
}
