// A run on AWS ends itself: whichever delivery takes the ledger's open count to
// zero (the last task done or failed) writes `_manifest.json` in the local
// format, checks the collector's `expect` block, and ends the run in the
// ledger. The ledger's conditional update lets exactly one delivery end it, and
// only that one publishes the run's metrics and tells the SNS topic about a
// failure. A delivery that dies in between leaves the run open with nothing
// open: the next delivery of the same message (or the stall sweep) ends it.
import { listRunFiles, putRunRow, readErrorReport } from '../../adapters/aws/run-files.ts';
import { isMaxPagesWarning, maxPagesWarning } from '../../core/engine/ceilings.ts';
import type { CompiledCollector } from '../../core/engine/compile.ts';
import { checkExpectations, declaredFields } from '../../core/engine/expectations.ts';
import type { RunRecord } from '../../core/ledger/ledger.ts';
import { MANIFEST_FILE, runBucket, runPrefix } from '../../core/output/layout.ts';
import { buildManifest, type Manifest } from '../../core/output/manifest.ts';
import { publishRunMetrics } from './metrics.ts';
import { runLocation } from './run-location.ts';
import { sinkFor, type LambdaRuntime } from './runtime-context.ts';

/** Error reports read for the manifest's warnings; a run with more lists the first ones. */
const REPORTS_READ = 50;

/** Ends the run if nothing is open in it; returns its manifest when this call ended it. */
export async function finishIfDone(rt: LambdaRuntime, compiled: CompiledCollector, runId: string): Promise<Manifest | undefined> {
  const record = await rt.ledger.get(compiled.spec.name, runId);
  if (!record || record.open > 0 || (record.state !== 'running' && record.state !== 'stalled')) return undefined;
  const manifest = await writeManifest(rt, compiled, record, 'final');
  const finishedAt = manifest.finishedAt;
  if (!(await rt.ledger.finish(record.collector, runId, manifest.status === 'succeeded' ? 'succeeded' : 'failed', finishedAt)))
    return undefined;
  report(rt, manifest, record);
  if (manifest.status !== 'succeeded') {
    await rt.notifier.notify({
      collector: record.collector,
      runId,
      status: 'failed',
      problems: problemsOf(manifest, record),
      location: locationOf(rt, compiled, runId),
    });
  }
  return manifest;
}

/** The manifest of a run from its ledger entry and its files; `stalled` writes the state of a run that stopped moving. */
export async function writeManifest(
  rt: LambdaRuntime,
  compiled: CompiledCollector,
  record: RunRecord,
  kind: 'final' | 'stalled',
): Promise<Manifest> {
  const run = runLocation(compiled, record.runId, rt.bucket);
  const files = await listRunFiles(rt.s3, run);
  const reports = await Promise.all(files.reported.slice(0, REPORTS_READ).map((id) => readErrorReport(rt.s3, run, id)));
  // A run that reached limits.maxPages says so first, whichever error reports were read.
  const maxPages = compiled.spec.limits.maxPages;
  const ceiling = record.stats.pages >= maxPages ? [maxPagesWarning(maxPages)] : [];
  const warnings = [...new Set([...ceiling, ...reports.flatMap((r) => r?.warnings ?? [])])];
  const expectations = checkExpectations(compiled.spec.expect, record.stats, true, declaredFields(compiled.spec));
  const manifest = buildManifest({
    collector: record.collector,
    runId: record.runId,
    specHash: record.specHash,
    startedAt: new Date(record.startedAt),
    finishedAt: rt.now(),
    stats: record.stats,
    tasks: record.done + record.failedTasks,
    parts: files.parts,
    expectations,
    warnings,
    complete: kind === 'final',
  });
  const written = kind === 'stalled' ? { ...manifest, status: 'stalled' as const } : manifest;
  await sinkFor(rt, compiled).putRunFile(run, MANIFEST_FILE, `${JSON.stringify(written, null, 2)}\n`);
  // After the manifest: a run that dies in between is ended again by the next delivery, which writes both.
  await putRunRow(rt.s3, run, written);
  return written;
}

export function problemsOf(manifest: Manifest, record: RunRecord): string[] {
  const problems = [...manifest.expectations.problems];
  if (record.failedTasks > 0)
    problems.unshift(
      `${record.failedTasks} task${record.failedTasks === 1 ? '' : 's'} failed for good (npx collect retry ${record.collector} ${record.runId} after a fix)`,
    );
  if (manifest.failures > record.failedTasks)
    problems.unshift(`${manifest.failures - record.failedTasks} pages failed (see the run's _errors/)`);
  problems.unshift(...manifest.warnings.filter(isMaxPagesWarning));
  return problems;
}

export function locationOf(rt: LambdaRuntime, compiled: CompiledCollector, runId: string): string {
  const run = runLocation(compiled, runId, rt.bucket);
  return `s3://${runBucket(run)}/${runPrefix(run)}/`;
}

function report(rt: LambdaRuntime, manifest: Manifest, record: RunRecord): void {
  publishRunMetrics(rt.metrics, manifest, record);
  const line = {
    collector: manifest.collector,
    runId: manifest.runId,
    status: manifest.status,
    records: manifest.records,
    pages: manifest.pages,
    failures: manifest.failures,
    failedTasks: record.failedTasks,
    tasks: manifest.tasks,
    durationMs: manifest.durationMs,
    dropped: manifest.dropped,
  };
  if (manifest.status === 'succeeded') rt.logger.info('run finished', line);
  else rt.logger.warn('run finished', { ...line, problems: problemsOf(manifest, record) });
}
