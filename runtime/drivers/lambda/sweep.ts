// The stall sweep, invoked by a project-wide schedule: a running run whose
// ledger has not moved for `stalledAfterMs` is marked stalled, once; its
// manifest so far is written, the metric that the project's alarm watches is
// published, and the SNS topic is told. A stalled run still ends normally if
// its tasks move again.
import type { RunRecord } from '../../core/ledger/ledger.ts';
import { problemsOf, locationOf, writeManifest } from './finish-run.ts';
import { publishStalledMetrics } from './metrics.ts';
import type { LambdaRuntime } from './runtime-context.ts';

export interface SweepResult {
  stalled: { collector: string; runId: string }[];
}

export async function sweepStalledRuns(rt: LambdaRuntime): Promise<SweepResult> {
  const now = rt.now();
  const before = new Date(now.getTime() - rt.stalledAfterMs).toISOString();
  const stalled = await rt.ledger.markStalled(before, now.toISOString());
  for (const record of stalled) await tell(rt, record);
  return { stalled: stalled.map((r) => ({ collector: r.collector, runId: r.runId })) };
}

async function tell(rt: LambdaRuntime, record: RunRecord): Promise<void> {
  publishStalledMetrics(rt.metrics, record.collector);
  const quiet = `no task ended since ${record.updatedAt}; ${record.open} task${record.open === 1 ? '' : 's'} still open`;
  rt.logger.warn('run stalled', {
    collector: record.collector,
    runId: record.runId,
    open: record.open,
    done: record.done,
    updatedAt: record.updatedAt,
  });
  let problems = [quiet];
  let location = record.output;
  try {
    const compiled = rt.registry.get(record.collector);
    const manifest = await writeManifest(rt, compiled, record, 'stalled');
    problems = [quiet, ...problemsOf(manifest, record)];
    location = locationOf(rt, compiled, record.runId);
  } catch (err) {
    // A collector no longer deployed: the notice still goes out.
    rt.logger.warn('stalled run has no manifest', { collector: record.collector, runId: record.runId, detail: String(err) });
  }
  await rt.notifier.notify({ collector: record.collector, runId: record.runId, status: 'stalled', problems, location });
}
