// The run ledger: where a run distributed over many deliveries keeps count of
// its open tasks exactly once, leases each task to one delivery at a time,
// records each task's commit with the follow-ups it hands on (the outbox), and
// knows when the last task has ended. The Lambda driver uses it; `collect
// status` and `collect retry` read it. adapters/aws/dynamo-ledger.ts is the one
// implementation.
import type { TaskStats } from '../engine/stats.ts';
import type { Task } from '../engine/task.ts';

export type RunState = 'running' | 'succeeded' | 'failed' | 'stalled';

/** A run as the ledger knows it. */
export interface RunRecord {
  collector: string;
  runId: string;
  state: RunState;
  /** Tasks registered and not yet done or failed: the run ends when this is 0. */
  open: number;
  done: number;
  /** Tasks that failed for good (their last delivery failed, or they reached the dead-letter queue). */
  failedTasks: number;
  seeds: number;
  /** The sum of the done tasks' stats. */
  stats: TaskStats;
  specHash: string;
  /** Rendered output location (`s3://bucket/prefix`). */
  output: string;
  startedAt: string;
  updatedAt: string;
  finishedAt?: string;
}

/** What a task's commit hands on: recorded before anything is announced. */
export interface TaskCommit {
  /** The part object's key. */
  part: string;
  stats: TaskStats;
  followUps: Task[];
}

export type Claim =
  /** This delivery holds the task until `until` (epoch ms) and must commit or release it. */
  | { kind: 'claimed'; lease: string }
  /** Another delivery holds it: back off and let SQS deliver this message again later. */
  | { kind: 'busy' }
  /** Committed by an earlier delivery that did not finish announcing: announce its commit again. */
  | { kind: 'committed'; commit: TaskCommit }
  /** Over and done: nothing to do (maybe finish the run). */
  | { kind: 'settled' }
  /** Not in the ledger (its run was not opened here): register it first. */
  | { kind: 'unknown' };

export interface RunOpening {
  collector: string;
  runId: string;
  specHash: string;
  output: string;
  startedAt: string;
  seeds: number;
  /** Fields whose fill counts the run keeps (the collector's declared fields). */
  fields: string[];
}

export interface TaskFailure {
  error: string;
  message: string;
}

export interface RunLedger {
  /** Creates the run; 'exists' when a duplicate start finds it (open or finished). */
  openRun(opening: RunOpening): Promise<{ created: boolean; record: RunRecord }>;
  /** Registers tasks not yet known (by id) and counts them open; returns how many were new. */
  register(collector: string, runId: string, tasks: readonly Task[]): Promise<number>;
  /**
   * Registers a committed task's follow-ups as `register` does, each owned by the task that
   * registered it first. Returns those `parent` owns (registered now, or by an earlier delivery of
   * it), the ones it announces: a page two tasks both found is counted, sent and run once.
   */
  registerFollowUps(parent: Task, followUps: readonly Task[]): Promise<Task[]>;
  claim(task: Task, leaseUntil: number): Promise<Claim>;
  /** Records the commit; false when the lease was lost (another delivery took over). */
  commit(task: Task, lease: string, commit: TaskCommit): Promise<boolean>;
  /** Gives the task back without a commit, for another delivery to try. */
  release(task: Task, lease: string): Promise<void>;
  /** Counts a committed task done, with its stats; false when it already was. */
  complete(task: Task, stats: TaskStats): Promise<boolean>;
  /** Counts a task held under `lease` failed for good; false when the lease was lost. */
  fail(task: Task, lease: string, failure: TaskFailure): Promise<boolean>;
  get(collector: string, runId: string): Promise<RunRecord | undefined>;
  /** Ends a run whose open count is 0; false when it was not running (or someone else ended it). */
  finish(collector: string, runId: string, state: 'succeeded' | 'failed', at: string): Promise<boolean>;
  /** Marks runs that made no progress since `before` as stalled; returns them. */
  markStalled(before: string, at: string): Promise<RunRecord[]>;
  /** The failed tasks of a run, with their errors. */
  failedTasks(collector: string, runId: string): Promise<{ task: Task; failure: TaskFailure }[]>;
  /** Opens failed tasks again (an operator's retry after a fix); returns those reopened. */
  reopen(collector: string, runId: string, taskIds: readonly string[]): Promise<Task[]>;
  /** The latest runs of a collector, newest first. */
  runs(collector: string, limit: number): Promise<RunRecord[]>;
}
