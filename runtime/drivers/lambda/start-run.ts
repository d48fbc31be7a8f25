// A scheduled invocation starts a run. Its run id comes from the scheduled
// time, so a retried or duplicated start is the same run: the ledger opens it
// once, registers the same seeds (same ids) once, and the seeds sent again are
// duplicates the ledger settles. Seeds travel as hop 1: the message that
// invokes the function a second time in this chain.
import { declaredFields } from '../../core/engine/expectations.ts';
import { planSeeds } from '../../core/engine/plan.ts';
import { isRunId, scheduledRunId } from '../../core/engine/run-id.ts';
import { putRunStart } from '../../core/output/run-start.ts';
import type { SchedulerEvent } from './events.ts';
import { finishIfDone } from './finish-run.ts';
import { runLocation } from './run-location.ts';
import { queueFor, sinkFor, type LambdaRuntime } from './runtime-context.ts';
import { S3StateStore, stateLocation } from '../../adapters/aws/s3-state.ts';
import type { CompiledCollector } from '../../core/engine/compile.ts';
import { collectorFetcher } from '../../core/engine/fetch-stack.ts';
import type { Task } from '../../core/engine/task.ts';
import { planSitemapSeeds } from '../../core/sitemap/seeds.ts';

export interface RunStarted {
  collector: string;
  runId: string;
  seeds: number;
  output: string;
  /** False when the run had already been started (a duplicate start); true for the first. */
  opened: boolean;
}

class StartEventError extends Error {
  override readonly name = 'StartEventError';
}

export async function startRun(rt: LambdaRuntime, event: SchedulerEvent): Promise<RunStarted> {
  const compiled = rt.registry.get(event.collector);
  let runId: string;
  if (event.runId !== undefined) {
    if (!isRunId(event.runId)) throw new StartEventError(`runId "${event.runId}" is not a run id (like 20240101T060000Z)`);
    runId = event.runId;
  } else if (event.scheduledTime !== undefined) {
    runId = scheduledRunId(event.scheduledTime);
  } else {
    throw new StartEventError('a start event needs "scheduledTime" (or "runId"): without it a retried invocation would start a second run');
  }
  // Date variables count from the scheduled time, so a retry plans the same seeds.
  const planned = event.scheduledTime !== undefined ? new Date(event.scheduledTime) : rt.now();
  const seeds = (await planWithSitemaps(rt, compiled, runId, planned)).map((t) => ({ ...t, hop: 1 }));
  const run = runLocation(compiled, runId, rt.bucket);
  const startedAt = rt.now().toISOString();
  const { created, record } = await rt.ledger.openRun({
    collector: compiled.spec.name,
    runId,
    specHash: compiled.hash,
    output: run.output,
    startedAt,
    seeds: seeds.length,
    fields: declaredFields(compiled.spec),
  });
  const result = { collector: compiled.spec.name, runId, seeds: seeds.length, output: run.output, opened: created };
  if (record.state !== 'running') return result; // a start repeated after the run ended
  await rt.ledger.register(compiled.spec.name, runId, seeds);
  await putRunStart(sinkFor(rt, compiled), run, {
    v: 1,
    collector: compiled.spec.name,
    runId,
    specHash: compiled.hash,
    scheduledTime: event.scheduledTime ?? null,
    seeds: seeds.length,
    startedAt: record.startedAt,
  });
  await queueFor(rt, compiled.spec.name).send(seeds);
  // A run without seeds (a date range that is empty today) ends at once, and says so.
  if (seeds.length === 0) await finishIfDone(rt, compiled, runId);
  return result;
}

/** The start URLs' seeds and the sitemaps' pages, read through the collector's fetch stack, the lastmod mark in S3 beside the cursor's. */
async function planWithSitemaps(rt: LambdaRuntime, compiled: CompiledCollector, runId: string, now: Date): Promise<Task[]> {
  const seeds = planSeeds(compiled.spec, { runId, now });
  if (!compiled.spec.start.sitemaps) return seeds;
  const where = stateLocation(compiled.spec.output, compiled.spec.name);
  const fetcher = collectorFetcher(rt.fetcher(), { compiled, secrets: rt.secrets });
  try {
    return await planSitemapSeeds(compiled, seeds, {
      runId,
      fetcher,
      secrets: rt.secrets,
      state: new S3StateStore(rt.s3, rt.bucket ?? where.bucket, where.prefix),
    });
  } finally {
    await fetcher.close();
  }
}
