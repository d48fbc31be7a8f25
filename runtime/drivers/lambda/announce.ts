// After a commit, the announcements, in an order that keeps the ledger honest
// at every moment: register the follow-ups (the run's open count rises before
// this task's falls, so it cannot touch zero too early), send them, then count
// this task done. Every step is idempotent: a delivery that finds the task
// committed but not done repeats them all and changes nothing twice.
import type { CompiledCollector } from '../../core/engine/compile.ts';
import type { Task } from '../../core/engine/task.ts';
import type { TaskCommit } from '../../core/ledger/ledger.ts';
import { finishIfDone } from './finish-run.ts';
import { queueFor, type LambdaRuntime } from './runtime-context.ts';

export async function announce(rt: LambdaRuntime, compiled: CompiledCollector, task: Task, commit: TaskCommit): Promise<void> {
  if (commit.followUps.length > 0) {
    // Only the follow-ups this task registered first: one another task found too is that one's to send.
    const owned = await rt.ledger.registerFollowUps(task, commit.followUps);
    if (owned.length > 0) await queueFor(rt, task.collector).send(owned);
  }
  await rt.ledger.complete(task, commit.stats);
  await finishIfDone(rt, compiled, task.runId);
}
