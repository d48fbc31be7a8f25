// A scheduled invocation starts a run: the run id comes from the scheduled time,
// so a retried invocation of the same schedule is the same run, sends the same
// seed tasks (same ids) and writes the same keys. Seeds travel as hop 1: the
// message that invokes the function a second time in this chain.
import { planSeeds } from '../../core/engine/plan.ts';
import { isRunId, scheduledRunId } from '../../core/engine/run-id.ts';
import type { SchedulerEvent } from './events.ts';
import { runLocation } from './run-location.ts';
import { queueFor, sinkFor, type LambdaRuntime } from './runtime-context.ts';
import { putRunStart, type RunStartFile } from '../../core/output/run-start.ts';

export interface RunStarted {
  collector: string;
  runId: string;
  seeds: number;
  output: string;
}

export class StartEventError extends Error {
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
  const seeds = planSeeds(compiled.spec, { runId, now: planned }).map((t) => ({ ...t, hop: 1 }));
  const run = runLocation(compiled, runId, rt.bucket);
  const start: RunStartFile = {
    v: 1,
    collector: compiled.spec.name,
    runId,
    specHash: compiled.hash,
    scheduledTime: event.scheduledTime ?? null,
    seeds: seeds.length,
    startedAt: rt.now().toISOString(),
  };
  await putRunStart(sinkFor(rt, compiled), run, start);
  await queueFor(rt, compiled.spec.name).send(seeds);
  return { collector: compiled.spec.name, runId, seeds: seeds.length, output: run.output };
}
