// The run ledger (moto) and follow-ups found by more than one task: a follow-up
// is counted open once and owned by the task that registered it first, which
// alone announces it, again after a crash; a seed found again is nobody's to send.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoLedger } from '../../runtime/adapters/aws/dynamo-ledger.ts';
import type { Task } from '../../runtime/core/engine/task.ts';
import { createLedgerTable, motoClients, startMoto, type Moto } from '../helpers/moto.ts';

let moto: Moto;
let ledger: DynamoLedger;
beforeAll(async () => {
  moto = await startMoto();
  const { dynamodb } = motoClients(moto.endpoint);
  ledger = new DynamoLedger(dynamodb, { table: await createLedgerTable(dynamodb) });
});
afterAll(() => moto?.stop());

const runId = '20240301T000000Z';
const task = (id: string, extra: Partial<Task> = {}): Task => ({
  id,
  runId,
  collector: 'crawl',
  url: `https://x.test/${id}`,
  vars: {},
  page: 1,
  hop: 1,
  itemsSeen: 0,
  recent: [],
  ...extra,
});

describe('follow-ups two tasks found', () => {
  it('are registered and counted once, and announced by the first task to register them', async () => {
    await ledger.openRun({ collector: 'crawl', runId, specHash: 'h', output: 's3://b/p', startedAt: runId, seeds: 3, fields: [] });
    const home = task('home');
    const [a, b] = [task('listing-a', { kind: 'listing' }), task('listing-b', { kind: 'listing' })];
    expect(await ledger.register('crawl', runId, [home])).toBe(1);
    expect(await ledger.registerFollowUps(home, [a, b])).toEqual([a, b]);

    const shared = task('detail-4', { kind: 'detail', depth: 2 });
    const onlyA = task('detail-1', { kind: 'detail', depth: 2 });
    const onlyB = task('detail-8', { kind: 'detail', depth: 2 });
    expect(await ledger.registerFollowUps(a, [onlyA, shared])).toEqual([onlyA, shared]);
    // b found the shared page too: it is a's to send; b sends only its own, and the home page it links back to is nobody's.
    expect(await ledger.registerFollowUps(b, [shared, onlyB, home])).toEqual([onlyB]);
    // a's delivery died before it sent: the next delivery announces the same follow-ups again.
    expect(await ledger.registerFollowUps(a, [onlyA, shared])).toEqual([onlyA, shared]);
    // home, a, b, detail-1, detail-4, detail-8: six open, each once.
    expect((await ledger.get('crawl', runId))?.open).toBe(6);
  });
});
