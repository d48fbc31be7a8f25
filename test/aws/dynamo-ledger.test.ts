// The run ledger on DynamoDB (moto): every step counts once, however often it is
// repeated, and the run ends exactly when its last task does.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoLedger } from '../../runtime/adapters/aws/dynamo-ledger.ts';
import { emptyStats, type TaskStats } from '../../runtime/core/engine/stats.ts';
import type { Task } from '../../runtime/core/engine/task.ts';
import type { RunOpening } from '../../runtime/core/ledger/ledger.ts';
import { createLedgerTable, motoClients, startMoto, type Moto } from '../helpers/moto.ts';

let moto: Moto;
let ledger: DynamoLedger;
beforeAll(async () => {
  moto = await startMoto();
  const { dynamodb } = motoClients(moto.endpoint);
  ledger = new DynamoLedger(dynamodb, { table: await createLedgerTable(dynamodb) });
});
afterAll(() => moto.stop());

let runs = 0;
function opening(): RunOpening {
  runs++;
  return {
    collector: 'shop',
    runId: `20240101T0000${String(runs).padStart(2, '0')}Z`,
    specHash: 'h',
    output: 's3://b/p',
    startedAt: '2024-01-01T00:00:00Z',
    seeds: 2,
    fields: ['title', 'price'],
  };
}

const task = (o: RunOpening, id: string, extra: Partial<Task> = {}): Task => ({
  id,
  runId: o.runId,
  collector: o.collector,
  url: `https://x.test/${id}`,
  vars: {},
  page: 1,
  hop: 1,
  itemsSeen: 0,
  recent: [],
  ...extra,
});

function stats(records: number, filled: Record<string, number> = {}): TaskStats {
  return { ...emptyStats(), pages: 1, records, bytes: 100, filled, dropped: { duplicate: 1 } };
}

const later = () => Date.now() + 60_000;

/** Claims, commits with follow-ups, registers them and completes: what one delivery does. */
async function runOne(t: Task, followUps: Task[] = [], s = stats(2)): Promise<void> {
  const claim = await ledger.claim(t, later());
  if (claim.kind !== 'claimed') throw new Error(`not claimed: ${claim.kind}`);
  expect(await ledger.commit(t, claim.lease, { part: `part-${t.id}`, stats: s, followUps })).toBe(true);
  await ledger.register(t.collector, t.runId, followUps);
  expect(await ledger.complete(t, s)).toBe(true);
}

describe('the DynamoDB run ledger', () => {
  it('opens a run once: a duplicate start finds it', async () => {
    const o = opening();
    expect((await ledger.openRun(o)).created).toBe(true);
    const again = await ledger.openRun(o);
    expect(again.created).toBe(false);
    expect(again.record).toMatchObject({ collector: 'shop', runId: o.runId, state: 'running', open: 0, seeds: 2 });
  });

  it('counts each task open once, however often it is registered', async () => {
    const o = opening();
    await ledger.openRun(o);
    expect(await ledger.register(o.collector, o.runId, [task(o, 'a'), task(o, 'b')])).toBe(2);
    expect(await ledger.register(o.collector, o.runId, [task(o, 'a'), task(o, 'b'), task(o, 'c'), task(o, 'c')])).toBe(1);
    expect((await ledger.get(o.collector, o.runId))?.open).toBe(3);
  });

  it('registers a large fan-out in chunks, and a repeat of it adds nothing', async () => {
    const o = opening();
    await ledger.openRun(o);
    const many = Array.from({ length: 250 }, (_, i) => task(o, `f${i}`));
    expect(await ledger.register(o.collector, o.runId, many)).toBe(250);
    expect(await ledger.register(o.collector, o.runId, many)).toBe(0);
    expect((await ledger.get(o.collector, o.runId))?.open).toBe(250);
  });

  it('leases a task to one delivery at a time; an expired lease can be taken over', async () => {
    const o = opening();
    await ledger.openRun(o);
    const t = task(o, 'a');
    await ledger.register(o.collector, o.runId, [t]);
    const first = await ledger.claim(t, Date.now() + 60_000);
    expect(first.kind).toBe('claimed');
    expect((await ledger.claim(t, later())).kind).toBe('busy');
    if (first.kind !== 'claimed') return;
    await ledger.release(t, first.lease);
    const second = await ledger.claim(t, Date.now() - 1); // a lease that is already over
    expect(second.kind).toBe('claimed');
    const third = await ledger.claim(t, later());
    expect(third.kind).toBe('claimed');
    // The delivery whose lease was taken over cannot commit any more.
    if (second.kind === 'claimed') expect(await ledger.commit(t, second.lease, { part: 'p', stats: stats(1), followUps: [] })).toBe(false);
  });

  it('hands the recorded commit to a redelivery that finds the task committed but not done', async () => {
    const o = opening();
    await ledger.openRun(o);
    const t = task(o, 'a');
    await ledger.register(o.collector, o.runId, [t]);
    const claim = await ledger.claim(t, later());
    if (claim.kind !== 'claimed') throw new Error('not claimed');
    const next = task(o, 'b', { page: 2 });
    await ledger.commit(t, claim.lease, { part: 'part-a', stats: stats(2), followUps: [next] });
    const again = await ledger.claim(t, later());
    expect(again).toEqual({ kind: 'committed', commit: { part: 'part-a', stats: stats(2), followUps: [next] } });
  });

  it('keeps a fan-out too big for one item gzipped, and reads it back', async () => {
    const o = opening();
    await ledger.openRun(o);
    const t = task(o, 'a');
    await ledger.register(o.collector, o.runId, [t]);
    const claim = await ledger.claim(t, later());
    if (claim.kind !== 'claimed') throw new Error('not claimed');
    const followUps = Array.from({ length: 1500 }, (_, i) =>
      task(o, `page-${i}`, { page: i + 2, recent: ['r:0123456789abcdef', 'p:fedcba9876543210'] }),
    );
    expect(JSON.stringify(followUps).length).toBeGreaterThan(200_000);
    expect(await ledger.commit(t, claim.lease, { part: 'p', stats: stats(0), followUps })).toBe(true);
    const again = await ledger.claim(t, later());
    expect(again.kind === 'committed' && again.commit.followUps.length).toBe(1500);
  });

  it('counts a task done once with its stats, and the run ends when nothing is open', async () => {
    const o = opening();
    await ledger.openRun(o);
    const [a, b] = [task(o, 'a'), task(o, 'b')];
    await ledger.register(o.collector, o.runId, [a, b]);
    const c = task(o, 'c', { page: 2 });
    await runOne(a, [c], stats(2, { title: 2, price: 1 }));
    expect(await ledger.complete(a, stats(2, { title: 2 }))).toBe(false); // a second completion changes nothing
    await runOne(b, [], stats(3, { title: 3, price: 3 }));
    let run = await ledger.get(o.collector, o.runId);
    expect(run).toMatchObject({ open: 1, done: 2, state: 'running' });
    expect(await ledger.finish(o.collector, o.runId, 'succeeded', new Date().toISOString())).toBe(false); // c is still open
    await runOne(c, [], stats(1, { title: 1 }));
    run = await ledger.get(o.collector, o.runId);
    expect(run).toMatchObject({ open: 0, done: 3 });
    expect(run?.stats).toMatchObject({ pages: 3, records: 6, bytes: 300, filled: { title: 6, price: 4 }, dropped: { duplicate: 3 } });
    expect(await ledger.finish(o.collector, o.runId, 'succeeded', '2024-01-01T00:10:00Z')).toBe(true);
    expect(await ledger.finish(o.collector, o.runId, 'succeeded', '2024-01-01T00:10:00Z')).toBe(false); // once
    expect(await ledger.get(o.collector, o.runId)).toMatchObject({ state: 'succeeded', finishedAt: '2024-01-01T00:10:00Z' });
  });

  it('counts a task failed once, lists it, and an operator can open it again', async () => {
    const o = opening();
    await ledger.openRun(o);
    const t = task(o, 'a');
    await ledger.register(o.collector, o.runId, [t]);
    const claim = await ledger.claim(t, later());
    if (claim.kind !== 'claimed') throw new Error('not claimed');
    expect(await ledger.fail(t, claim.lease, { error: 'HttpStatusError', message: 'HTTP 503' })).toBe(true);
    expect(await ledger.fail(t, claim.lease, { error: 'HttpStatusError', message: 'HTTP 503' })).toBe(false);
    expect((await ledger.claim(t, later())).kind).toBe('settled');
    expect(await ledger.finish(o.collector, o.runId, 'failed', '2024-01-01T00:10:00Z')).toBe(true);
    expect(await ledger.failedTasks(o.collector, o.runId)).toEqual([
      { task: t, failure: { error: 'HttpStatusError', message: 'HTTP 503' } },
    ]);

    expect(await ledger.reopen(o.collector, o.runId, [t.id])).toEqual([t]);
    expect(await ledger.reopen(o.collector, o.runId, [t.id])).toEqual([]);
    expect(await ledger.get(o.collector, o.runId)).toMatchObject({ state: 'running', open: 1, failedTasks: 0 });
    await runOne(t);
    expect(await ledger.finish(o.collector, o.runId, 'succeeded', '2024-01-01T01:00:00Z')).toBe(true);
  });

  it('marks a run without progress stalled, once; a stalled run can still finish', async () => {
    const o = opening();
    await ledger.openRun(o);
    const t = task(o, 'a');
    await ledger.register(o.collector, o.runId, [t]);
    const future = new Date(Date.now() + 3_600_000).toISOString();
    const stalled = await ledger.markStalled(future, future);
    expect(stalled.map((r) => r.runId)).toContain(o.runId);
    expect((await ledger.markStalled(future, future)).map((r) => r.runId)).not.toContain(o.runId);
    expect((await ledger.get(o.collector, o.runId))?.state).toBe('stalled');
    await runOne(t);
    expect(await ledger.finish(o.collector, o.runId, 'succeeded', future)).toBe(true);
  });

  it("lists a collector's runs, newest first", async () => {
    const listed = await ledger.runs('shop', 3);
    expect(listed).toHaveLength(3);
    expect(listed.map((r) => r.runId)).toEqual([...listed.map((r) => r.runId)].sort().reverse());
  });
});
