// The run ledger on DynamoDB (on demand, TTL): one item per run and one per
// task, under the run's partition key, so a run's tasks are one Query.
//
//   pk = run#<collector>#<runId>   sk = run          counters, state, totals
//                                  sk = task#<id>    state, lease, commit (the outbox)
//
// Counters move only inside transactions that also move a task's state, and
// every transaction is conditional on the state it expects, so a redelivered,
// duplicated or replayed step changes nothing the second time: each task is
// counted open once, done or failed once. Totals live in top-level attributes
// (`fill_<field>`, `drop_<reason>`, `type_<field>`) because ADD creates a
// missing top-level attribute, where a field inside a map must exist first.
//
// Two sparse indexes: `active` (running and stalled runs, by last update; the
// stall sweep reads it) and `byCollector` (every run of a collector, by run id).
import { gunzipSync, gzipSync } from 'node:zlib';
import { randomUUID } from 'node:crypto';
import { ConditionalCheckFailedException, type DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Claim, RunLedger, RunOpening, RunRecord, RunState, TaskCommit, TaskFailure } from '../../core/ledger/ledger.ts';
import { emptyStats, type TaskStats } from '../../core/engine/stats.ts';
import type { Task } from '../../core/engine/task.ts';

type Item = Record<string, unknown>;

/**
 * The table's shape, for whoever creates it: deploy/terraform/ledger.tf (checked
 * against this by test/deploy/terraform-files.test.ts) and the tests on moto.
 */
export const LEDGER_TABLE = {
  hashKey: 'pk',
  rangeKey: 'sk',
  ttlAttribute: 'expiresAt',
  indexes: [
    { name: 'active', hashKey: 'active', rangeKey: 'updatedAt' },
    { name: 'byCollector', hashKey: 'collector', rangeKey: 'runId' },
  ],
} as const;

const RUN = 'run';
const ACTIVE = 'run';
/** A commit bigger than this is stored gzipped; DynamoDB items hold at most 400 KB. */
const INLINE_COMMIT_BYTES = 200_000;
const MAX_COMMIT_BYTES = 380_000;
/** DynamoDB takes at most 100 actions per transaction; one of them counts the run. */
const REGISTER_CHUNK = 99;
/** The owner recorded for seeds and tasks registered outside a commit (a follow-up is owned by the task that found it). */
const NO_PARENT = '-';

export interface DynamoLedgerOptions {
  table: string;
  /** Days an entry is kept after its last write (the table's TTL). Default 90. */
  retentionDays?: number;
  now?: () => Date;
}

class LedgerError extends Error {
  override readonly name = 'LedgerError';
}

export class DynamoLedger implements RunLedger {
  private readonly db: DynamoDBDocumentClient;
  private readonly table: string;
  private readonly retentionSeconds: number;
  private readonly now: () => Date;

  constructor(client: DynamoDBClient, options: DynamoLedgerOptions) {
    this.db = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
    this.table = options.table;
    this.retentionSeconds = (options.retentionDays ?? 90) * 86_400;
    this.now = options.now ?? (() => new Date());
  }

  async openRun(o: RunOpening): Promise<{ created: boolean; record: RunRecord }> {
    const at = this.now().toISOString();
    const item: Item = {
      ...runKey(o.collector, o.runId),
      kind: RUN,
      collector: o.collector,
      runId: o.runId,
      state: 'running',
      active: ACTIVE,
      open: 0,
      done: 0,
      failedTasks: 0,
      seeds: o.seeds,
      ...Object.fromEntries(COUNTERS.map((c) => [c, 0])),
      ...Object.fromEntries(o.fields.map((f) => [`fill_${f}`, 0])),
      specHash: o.specHash,
      output: o.output,
      startedAt: o.startedAt,
      updatedAt: at,
      expiresAt: this.expiry(),
    };
    try {
      await this.db.send(new PutCommand({ TableName: this.table, Item: item, ConditionExpression: 'attribute_not_exists(pk)' }));
      return { created: true, record: toRun(item) };
    } catch (err) {
      if (!(err instanceof ConditionalCheckFailedException)) throw err;
      const existing = await this.get(o.collector, o.runId);
      if (!existing) throw new LedgerError(`run ${o.collector} ${o.runId} exists and cannot be read`);
      return { created: false, record: existing };
    }
  }

  async register(collector: string, runId: string, tasks: readonly Task[]): Promise<number> {
    return (await this.registerAll(collector, runId, tasks, NO_PARENT)).added;
  }

  async registerFollowUps(parent: Task, followUps: readonly Task[]): Promise<Task[]> {
    return (await this.registerAll(parent.collector, parent.runId, followUps, parent.id)).owned;
  }

  /** `owned`: the tasks registered by `parent`, now or before (those with no owner recorded count as its own). */
  private async registerAll(
    collector: string,
    runId: string,
    tasks: readonly Task[],
    parent: string,
  ): Promise<{ added: number; owned: Task[] }> {
    const unique = [...new Map(tasks.map((t) => [t.id, t])).values()];
    let added = 0;
    const owned: Task[] = [];
    for (let i = 0; i < unique.length; i += REGISTER_CHUNK) {
      const chunk = await this.registerChunk(collector, runId, unique.slice(i, i + REGISTER_CHUNK), parent);
      added += chunk.added;
      owned.push(...chunk.owned);
    }
    return { added, owned };
  }

  private async registerChunk(collector: string, runId: string, chunk: Task[], parent: string): Promise<{ added: number; owned: Task[] }> {
    // Another delivery may register some of the same tasks at the same moment: a cancelled
    // transaction is retried with what is still missing.
    for (let attempt = 0; attempt < 8; attempt++) {
      const { fresh, owned } = await this.missing(collector, runId, chunk, parent);
      if (fresh.length === 0) return { added: 0, owned };
      const at = this.now().toISOString();
      try {
        await this.db.send(
          new TransactWriteCommand({
            TransactItems: [
              ...fresh.map((task) => ({
                Put: {
                  TableName: this.table,
                  Item: {
                    ...taskKey(task),
                    kind: 'task',
                    state: 'open',
                    task: JSON.stringify(task),
                    parent,
                    updatedAt: at,
                    expiresAt: this.expiry(),
                  },
                  ConditionExpression: 'attribute_not_exists(pk)',
                },
              })),
              {
                Update: {
                  TableName: this.table,
                  Key: runKey(collector, runId),
                  UpdateExpression: 'ADD #open :n SET updatedAt = :at',
                  ConditionExpression: 'attribute_exists(pk)',
                  ExpressionAttributeNames: { '#open': 'open' },
                  ExpressionAttributeValues: { ':n': fresh.length, ':at': at },
                },
              },
            ],
          }),
        );
        return { added: fresh.length, owned: [...owned, ...fresh] };
      } catch (err) {
        if (!(err instanceof TransactionCanceledException)) throw err;
        if (err.CancellationReasons?.at(-1)?.Code === 'ConditionalCheckFailed')
          throw new LedgerError(`run ${collector} ${runId} is not in the ledger`);
      }
    }
    throw new LedgerError(`could not register ${chunk.length} tasks of ${collector} ${runId}: too many concurrent writers`);
  }

  /** The tasks not registered yet, and those registered already by `parent` (or by no one recorded: an entry older than owners). */
  private async missing(collector: string, runId: string, tasks: Task[], parent: string): Promise<{ fresh: Task[]; owned: Task[] }> {
    const found = new Map<string, unknown>();
    let keys: Item[] = tasks.map((t) => ({ pk: runKey(collector, runId).pk, sk: `task#${t.id}` }));
    while (keys.length > 0) {
      const got = await this.db.send(
        new BatchGetCommand({
          RequestItems: {
            [this.table]: {
              Keys: keys,
              ProjectionExpression: 'sk, #parent',
              ExpressionAttributeNames: { '#parent': 'parent' },
              ConsistentRead: true,
            },
          },
        }),
      );
      for (const item of got.Responses?.[this.table] ?? []) found.set(String(item.sk).slice('task#'.length), item.parent);
      keys = (got.UnprocessedKeys?.[this.table]?.Keys as Item[] | undefined) ?? [];
    }
    const owner = (t: Task) => found.get(t.id);
    return {
      fresh: tasks.filter((t) => !found.has(t.id)),
      owned: tasks.filter((t) => found.has(t.id) && (owner(t) === undefined || owner(t) === parent)),
    };
  }

  async claim(task: Task, leaseUntil: number): Promise<Claim> {
    const lease = randomUUID();
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: taskKey(task),
          UpdateExpression: 'SET lease = :lease, leaseUntil = :until, updatedAt = :at',
          ConditionExpression: '#state = :open AND (attribute_not_exists(leaseUntil) OR leaseUntil < :now)',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: {
            ':lease': lease,
            ':until': leaseUntil,
            ':open': 'open',
            ':now': this.now().getTime(),
            ':at': this.now().toISOString(),
          },
        }),
      );
      return { kind: 'claimed', lease };
    } catch (err) {
      if (!(err instanceof ConditionalCheckFailedException)) throw err;
    }
    const item = await this.getItem(taskKey(task));
    if (!item) return { kind: 'unknown' };
    if (item.state === 'committed') return { kind: 'committed', commit: readCommit(item) };
    if (item.state === 'open') return { kind: 'busy' };
    return { kind: 'settled' };
  }

  async commit(task: Task, lease: string, commit: TaskCommit): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: taskKey(task),
          UpdateExpression: 'SET #state = :committed, updatedAt = :at, #body = :body REMOVE lease, leaseUntil',
          ConditionExpression: '#state = :open AND lease = :lease',
          ExpressionAttributeNames: { '#state': 'state', '#body': commitAttribute(commit) },
          ExpressionAttributeValues: {
            ':committed': 'committed',
            ':open': 'open',
            ':lease': lease,
            ':at': this.now().toISOString(),
            ':body': encodeCommit(task, commit),
          },
        }),
      );
      return true;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return false;
      throw err;
    }
  }

  async release(task: Task, lease: string): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: taskKey(task),
          UpdateExpression: 'REMOVE lease, leaseUntil',
          ConditionExpression: 'lease = :lease',
          ExpressionAttributeValues: { ':lease': lease },
        }),
      );
    } catch (err) {
      if (!(err instanceof ConditionalCheckFailedException)) throw err;
    }
  }

  async complete(task: Task, stats: TaskStats): Promise<boolean> {
    const totals = counterUpdate(stats);
    return this.settle(
      task,
      { from: 'committed', update: 'SET #state = :to, updatedAt = :at REMOVE commitJson, commitGz', values: { ':to': 'done' } },
      { add: `#open :minusOne, done :one${totals.add}`, names: totals.names, values: { ':minusOne': -1, ':one': 1, ...totals.values } },
    );
  }

  async fail(task: Task, lease: string, failure: TaskFailure): Promise<boolean> {
    return this.settle(
      task,
      {
        from: 'open',
        update: 'SET #state = :to, updatedAt = :at, #error = :error REMOVE lease, leaseUntil',
        condition: 'lease = :lease',
        names: { '#error': 'error' },
        values: { ':to': 'failed', ':error': JSON.stringify(failure), ':lease': lease },
      },
      { add: '#open :minusOne, failedTasks :one, failures :one', names: {}, values: { ':minusOne': -1, ':one': 1 } },
    );
  }

  /** Moves a task from one state to a final one and the run's counters with it, in one transaction. */
  private async settle(
    task: Task,
    to: { from: string; update: string; condition?: string; names?: Record<string, string>; values: Record<string, unknown> },
    counts: { add: string; names: Record<string, string>; values: Record<string, unknown> },
  ): Promise<boolean> {
    const at = this.now().toISOString();
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.table,
                Key: taskKey(task),
                UpdateExpression: to.update,
                ConditionExpression: `#state = :from${to.condition ? ` AND ${to.condition}` : ''}`,
                ExpressionAttributeNames: { '#state': 'state', ...to.names },
                ExpressionAttributeValues: { ':from': to.from, ':at': at, ...to.values },
              },
            },
            {
              Update: {
                TableName: this.table,
                Key: runKey(task.collector, task.runId),
                UpdateExpression: `ADD ${counts.add} SET updatedAt = :at`,
                ExpressionAttributeNames: { '#open': 'open', ...counts.names },
                ExpressionAttributeValues: { ':at': at, ...counts.values },
              },
            },
          ],
        }),
      );
      return true;
    } catch (err) {
      if (err instanceof TransactionCanceledException && err.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed') return false;
      throw err;
    }
  }

  async get(collector: string, runId: string): Promise<RunRecord | undefined> {
    const item = await this.getItem(runKey(collector, runId));
    return item ? toRun(item) : undefined;
  }

  async finish(collector: string, runId: string, state: 'succeeded' | 'failed', at: string): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: runKey(collector, runId),
          UpdateExpression: 'SET #state = :state, finishedAt = :at, updatedAt = :at REMOVE active',
          ConditionExpression: '#open = :zero AND #state IN (:running, :stalled)',
          ExpressionAttributeNames: { '#state': 'state', '#open': 'open' },
          ExpressionAttributeValues: { ':state': state, ':at': at, ':zero': 0, ':running': 'running', ':stalled': 'stalled' },
        }),
      );
      return true;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return false;
      throw err;
    }
  }

  async markStalled(before: string, at: string): Promise<RunRecord[]> {
    const stalled: RunRecord[] = [];
    for await (const item of this.query({
      IndexName: 'active',
      KeyConditionExpression: 'active = :active AND updatedAt < :before',
      FilterExpression: '#state = :running',
      ExpressionAttributeNames: { '#state': 'state' },
      ExpressionAttributeValues: { ':active': ACTIVE, ':before': before, ':running': 'running' },
    })) {
      const run = toRun(item);
      try {
        // Not `updatedAt`: a stalled run that moves again must not look fresh for a reason other than progress.
        await this.db.send(
          new UpdateCommand({
            TableName: this.table,
            Key: runKey(run.collector, run.runId),
            UpdateExpression: 'SET #state = :stalled, stalledAt = :at',
            ConditionExpression: '#state = :running AND updatedAt < :before',
            ExpressionAttributeNames: { '#state': 'state' },
            ExpressionAttributeValues: { ':stalled': 'stalled', ':running': 'running', ':before': before, ':at': at },
          }),
        );
        stalled.push({ ...run, state: 'stalled' });
      } catch (err) {
        if (!(err instanceof ConditionalCheckFailedException)) throw err;
      }
    }
    return stalled;
  }

  async failedTasks(collector: string, runId: string): Promise<{ task: Task; failure: TaskFailure }[]> {
    const out: { task: Task; failure: TaskFailure }[] = [];
    for await (const item of this.query({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :task)',
      FilterExpression: '#state = :failed',
      ExpressionAttributeNames: { '#state': 'state' },
      ExpressionAttributeValues: { ':pk': runKey(collector, runId).pk, ':task': 'task#', ':failed': 'failed' },
    })) {
      out.push({ task: JSON.parse(String(item.task)) as Task, failure: JSON.parse(String(item.error ?? '{}')) as TaskFailure });
    }
    return out;
  }

  async reopen(collector: string, runId: string, taskIds: readonly string[]): Promise<Task[]> {
    const reopened: Task[] = [];
    for (const id of taskIds) {
      const item = await this.getItem({ pk: runKey(collector, runId).pk, sk: `task#${id}` });
      if (item?.state !== 'failed') continue;
      const at = this.now().toISOString();
      try {
        await this.db.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Update: {
                  TableName: this.table,
                  Key: { pk: item.pk, sk: item.sk },
                  UpdateExpression: 'SET #state = :open, updatedAt = :at REMOVE #error',
                  ConditionExpression: '#state = :failed',
                  ExpressionAttributeNames: { '#state': 'state', '#error': 'error' },
                  ExpressionAttributeValues: { ':open': 'open', ':failed': 'failed', ':at': at },
                },
              },
              {
                Update: {
                  TableName: this.table,
                  Key: runKey(collector, runId),
                  UpdateExpression:
                    'ADD #open :one, failedTasks :minusOne, failures :minusOne SET #state = :running, active = :active, updatedAt = :at REMOVE finishedAt',
                  ExpressionAttributeNames: { '#open': 'open', '#state': 'state' },
                  ExpressionAttributeValues: { ':one': 1, ':minusOne': -1, ':running': 'running', ':active': ACTIVE, ':at': at },
                },
              },
            ],
          }),
        );
        reopened.push(JSON.parse(String(item.task)) as Task);
      } catch (err) {
        if (!(err instanceof TransactionCanceledException)) throw err;
      }
    }
    return reopened;
  }

  async runs(collector: string, limit: number): Promise<RunRecord[]> {
    const got = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: 'byCollector',
        KeyConditionExpression: 'collector = :c',
        ExpressionAttributeValues: { ':c': collector },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return (got.Items ?? []).map(toRun);
  }

  private async getItem(key: Item): Promise<Item | undefined> {
    const got = await this.db.send(new GetCommand({ TableName: this.table, Key: key, ConsistentRead: true }));
    return got.Item;
  }

  private async *query(input: Omit<ConstructorParameters<typeof QueryCommand>[0], 'TableName'>): AsyncGenerator<Item> {
    let start: Item | undefined;
    do {
      const got = await this.db.send(new QueryCommand({ TableName: this.table, ...input, ...(start ? { ExclusiveStartKey: start } : {}) }));
      yield* got.Items ?? [];
      start = got.LastEvaluatedKey;
    } while (start);
  }

  private expiry(): number {
    return Math.floor(this.now().getTime() / 1000) + this.retentionSeconds;
  }
}

/** The run's counters other than open, done and failedTasks. */
const COUNTERS = ['pages', 'records', 'failures', 'retries', 'bytes', 'durationMs'] as const;

function runKey(collector: string, runId: string): { pk: string; sk: string } {
  return { pk: `run#${collector}#${runId}`, sk: RUN };
}

function taskKey(task: Task): { pk: string; sk: string } {
  return { pk: runKey(task.collector, task.runId).pk, sk: `task#${task.id}` };
}

/** ADD clauses for a task's stats, with their placeholders. */
function counterUpdate(stats: TaskStats): { add: string; names: Record<string, string>; values: Record<string, unknown> } {
  const parts: string[] = [];
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  let n = 0;
  const add = (attribute: string, value: number) => {
    if (value === 0) return;
    n++;
    names[`#c${n}`] = attribute;
    values[`:c${n}`] = value;
    parts.push(`#c${n} :c${n}`);
  };
  for (const c of COUNTERS) add(c, stats[c]);
  add('pagesReused', stats.pagesReused ?? 0);
  for (const [field, v] of Object.entries(stats.filled)) add(`fill_${field}`, v);
  for (const [field, v] of Object.entries(stats.typeErrors ?? {})) add(`type_${field}`, v);
  for (const [reason, v] of Object.entries(stats.dropped ?? {})) add(`drop_${reason}`, v ?? 0);
  return { add: parts.length ? `, ${parts.join(', ')}` : '', names, values };
}

function commitAttribute(commit: TaskCommit): string {
  return JSON.stringify(commit).length > INLINE_COMMIT_BYTES ? 'commitGz' : 'commitJson';
}

function encodeCommit(task: Task, commit: TaskCommit): string | Uint8Array {
  const json = JSON.stringify(commit);
  if (json.length <= INLINE_COMMIT_BYTES) return json;
  const packed = gzipSync(json);
  if (packed.length > MAX_COMMIT_BYTES) {
    throw new LedgerError(
      `task ${task.id} hands on ${commit.followUps.length} follow-up tasks, more than one ledger entry can record; lower stop.maxPages`,
    );
  }
  return new Uint8Array(packed);
}

function readCommit(item: Item): TaskCommit {
  const gz = item.commitGz;
  const text = gz instanceof Uint8Array ? gunzipSync(gz).toString('utf8') : String(item.commitJson);
  return JSON.parse(text) as TaskCommit;
}

function num(item: Item, key: string): number {
  const v = item[key];
  return typeof v === 'number' ? v : Number(v ?? 0);
}

/** Attributes with a prefix, as a map without it (`fill_title` -> `title`). */
function prefixed(item: Item, prefix: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(item)) if (k.startsWith(prefix)) out[k.slice(prefix.length)] = Number(v);
  return out;
}

function toRun(item: Item): RunRecord {
  const stats = emptyStats();
  for (const c of COUNTERS) stats[c] = num(item, c);
  const reused = num(item, 'pagesReused');
  if (reused > 0) stats.pagesReused = reused;
  stats.filled = prefixed(item, 'fill_');
  const typeErrors = prefixed(item, 'type_');
  if (Object.keys(typeErrors).length) stats.typeErrors = typeErrors;
  const dropped = prefixed(item, 'drop_');
  if (Object.values(dropped).some((v) => v > 0)) stats.dropped = dropped;
  return {
    collector: String(item.collector),
    runId: String(item.runId),
    state: item.state as RunState,
    open: num(item, 'open'),
    done: num(item, 'done'),
    failedTasks: num(item, 'failedTasks'),
    seeds: num(item, 'seeds'),
    stats,
    specHash: String(item.specHash ?? ''),
    output: String(item.output ?? ''),
    startedAt: String(item.startedAt ?? ''),
    updatedAt: String(item.updatedAt ?? ''),
    ...(item.finishedAt ? { finishedAt: String(item.finishedAt) } : {}),
  };
}
