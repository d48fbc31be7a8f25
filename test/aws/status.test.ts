// `collect status` and `collect retry` against moto: they read the run ledger
// the function keeps (a DynamoDB table named after the function) and the run's
// manifest on S3, and a retry opens failed tasks again and sends them to the
// collector's task queue.
import { Writable } from 'node:stream';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { CreateQueueCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoLedger } from '../../runtime/adapters/aws/dynamo-ledger.ts';
import { emptyStats, type TaskStats } from '../../runtime/core/engine/stats.ts';
import type { Task } from '../../runtime/core/engine/task.ts';
import type { RunOpening } from '../../runtime/core/ledger/ledger.ts';
import { MANIFEST_FILE } from '../../runtime/core/output/layout.ts';
import { awsNames } from '../../runtime/language/deployment-names.ts';
import type { CliIO } from '../../runtime/tools/cli/command.ts';
import { retryCommand } from '../../runtime/tools/cli/commands/retry.ts';
import { statusCommand } from '../../runtime/tools/cli/commands/status.ts';
import { createBucket, createLedgerTable, motoClients, startMoto, uniqueName, type AwsTestClients, type Moto } from '../helpers/moto.ts';

let moto: Moto;
let aws: AwsTestClients;
let ledger: DynamoLedger;
let bucket: string;
let queueUrl: string;
const fn = uniqueName('shop');
const collector = 'books-toscrape';
const OK = '20240501T060000Z';
const FAILED = '20240502T060000Z';
const RUNNING = '20240503T060000Z';

const task = (runId: string, id: string): Task => ({
  id,
  runId,
  collector,
  url: `https://books.example/${id}.html`,
  vars: {},
  page: 1,
  hop: 1,
  itemsSeen: 0,
  recent: [],
});
const stats = (records: number): TaskStats => ({ ...emptyStats(), pages: 1, records, bytes: 2048, filled: { title: records } });

async function open(runId: string, seeds: Task[]): Promise<void> {
  const opening: RunOpening = {
    collector,
    runId,
    specHash: 'abc',
    output: `s3://${bucket}/raw/${collector}`,
    startedAt: new Date(Date.now() - 90_000).toISOString(),
    seeds: seeds.length,
    fields: ['title'],
  };
  await ledger.openRun(opening);
  await ledger.register(collector, runId, seeds);
}

async function succeed(t: Task, records: number): Promise<void> {
  const claim = await ledger.claim(t, Date.now() + 60_000);
  if (claim.kind !== 'claimed') throw new Error(claim.kind);
  await ledger.commit(t, claim.lease, { part: `part-${t.id}.jsonl.gz`, stats: stats(records), followUps: [] });
  await ledger.complete(t, stats(records));
}

beforeAll(async () => {
  moto = await startMoto();
  aws = motoClients(moto.endpoint);
  bucket = await createBucket(aws.s3);
  ledger = new DynamoLedger(aws.dynamodb, { table: await createLedgerTable(aws.dynamodb, { name: `${fn}-${awsNames.ledgerTable}` }) });
  queueUrl = (await aws.sqs.send(new CreateQueueCommand({ QueueName: `${fn}-${awsNames.tasksQueue(collector)}` }))).QueueUrl!;

  // A run that succeeded, with its manifest written.
  await open(OK, [task(OK, 'a1')]);
  await succeed(task(OK, 'a1'), 20);
  await ledger.finish(collector, OK, 'succeeded', new Date().toISOString());
  const manifest = { collector, runId: OK, status: 'succeeded', records: 20, parts: ['part-a1.jsonl.gz'], expectations: { problems: [] } };
  await aws.s3.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: `raw/${collector}/dt=2024-05-01/run=${OK}/${MANIFEST_FILE}`,
      Body: JSON.stringify(manifest),
    }),
  );

  // A run with one task that failed for good.
  await open(FAILED, [task(FAILED, 'b1'), task(FAILED, 'b2')]);
  await succeed(task(FAILED, 'b1'), 19);
  const claim = await ledger.claim(task(FAILED, 'b2'), Date.now() + 60_000);
  if (claim.kind !== 'claimed') throw new Error(claim.kind);
  await ledger.fail(task(FAILED, 'b2'), claim.lease, { error: 'HttpStatusError', message: 'HTTP 503 from https://books.example/b2.html' });
  await ledger.finish(collector, FAILED, 'failed', new Date().toISOString());

  // A run still going.
  await open(RUNNING, [task(RUNNING, 'c1'), task(RUNNING, 'c2')]);
  await succeed(task(RUNNING, 'c1'), 7);
});
afterAll(() => moto?.stop());

function io(): CliIO & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  const sink = (append: (s: string) => void) =>
    new Writable({
      write: (chunk: Buffer, _e, cb) => {
        append(chunk.toString());
        cb();
      },
    });
  return {
    stdout: sink((s) => (out += s)),
    stderr: sink((s) => (err += s)),
    cwd: process.cwd(),
    env: { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_REGION: 'us-east-1' },
    out: () => out,
    err: () => err,
  };
}

const args = () => ['--function', fn, '--endpoint', moto.endpoint];

describe('collect status', () => {
  it("lists a collector's runs from the ledger, latest first, with their state", async () => {
    const cli = io();
    expect(await statusCommand.run([collector, ...args()], cli)).toBe(0);
    const lines = cli.out().split('\n');
    const at = (id: string) => lines.findIndex((l) => l.includes(id));
    expect(at(RUNNING)).toBeLessThan(at(FAILED));
    expect(at(FAILED)).toBeLessThan(at(OK));
    expect(lines[at(RUNNING)]).toMatch(/running\s+1 tasks done, 1 open, 7 records/);
    expect(lines[at(FAILED)]).toMatch(/failed\s+1 tasks done, 0 open, 1 failed, 19 records/);
    expect(lines[at(OK)]).toMatch(/succeeded\s+1 tasks done, 0 open, 20 records/);
  });

  it('shows a succeeded run with its manifest, and exits 0', async () => {
    const cli = io();
    expect(await statusCommand.run([collector, OK, ...args()], cli)).toBe(0);
    expect(cli.out()).toMatch(/state\s+succeeded/);
    expect(cli.out()).toMatch(/records\s+20\n/);
    expect(cli.out()).toContain('manifest: succeeded, 20 records in 1 parts');
  });

  it('shows the tasks of a failed run that failed for good, why, and how to retry them; exits 1', async () => {
    const cli = io();
    expect(await statusCommand.run([collector, FAILED, ...args()], cli)).toBe(1);
    expect(cli.out()).toContain('failed task b2 (https://books.example/b2.html): HttpStatusError: HTTP 503');
    expect(cli.out()).toContain(`npx collect retry ${collector} ${FAILED}`);
    expect(cli.out()).toContain('manifest: not written yet');
  });

  it('"latest" is the newest run; --json prints the ledger record', async () => {
    const cli = io();
    expect(await statusCommand.run([collector, 'latest', '--json', ...args()], cli)).toBe(0);
    const out = JSON.parse(cli.out()) as { runId: string; state: string; open: number; stats: { records: number } };
    expect(out).toMatchObject({ runId: RUNNING, state: 'running', open: 1, stats: { records: 7 } });
  });

  it('--wait gives up after --timeout on a run that does not end, and exits 1', async () => {
    const cli = io();
    expect(await statusCommand.run([collector, RUNNING, '--wait', '--timeout', '1', ...args()], cli)).toBe(1);
    expect(cli.err()).toMatch(/still running after/);
  });

  it('says so when a run does not exist, and refuses a bad run id', async () => {
    const cli = io();
    expect(await statusCommand.run([collector, '20230101T000000Z', ...args()], cli)).toBe(1);
    expect(cli.err()).toMatch(/no run 20230101T000000Z of books-toscrape/);
    await expect(statusCommand.run([collector, 'yesterday', ...args()], io())).rejects.toThrow(/not a run id/);
  });
});

describe('a deployment that is not there', () => {
  it('status and retry say which deployment they looked for and what to check, and exit 1', async () => {
    for (const command of [statusCommand, retryCommand]) {
      const cli = io();
      const argv = command === statusCommand ? [collector] : [collector, OK];
      expect(await command.run([...argv, '--function', 'never-deployed', '--endpoint', moto.endpoint], cli)).toBe(1);
      expect(cli.err()).toMatch(
        /the deployment never-deployed in us-east-1 was not found \(ResourceNotFoundException.*is it deployed \(npx collect deploy\)/,
      );
    }
  });
});

describe('collect retry', () => {
  it('opens the failed tasks again and sends them to the collector queue; the run is running again', async () => {
    const cli = io();
    expect(await retryCommand.run([collector, FAILED, ...args()], cli)).toBe(0);
    expect(cli.out()).toContain('1 failed task sent again');
    const run = await ledger.get(collector, FAILED);
    expect(run).toMatchObject({ state: 'running', open: 1, failedTasks: 0, done: 1 });
    const received = await aws.sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
    const sent = (received.Messages ?? []).map((m) => (JSON.parse(m.Body!) as { task: Task }).task);
    expect(sent.map((t) => t.id)).toEqual(['b2']);
    expect(sent[0]).toMatchObject({ runId: FAILED, url: 'https://books.example/b2.html' });
  });

  it('has nothing to send for a run without failed tasks', async () => {
    const cli = io();
    expect(await retryCommand.run([collector, OK, ...args()], cli)).toBe(0);
    expect(cli.out()).toContain('no failed tasks (succeeded)');
  });

  it('exits 1 for a run that does not exist', async () => {
    const cli = io();
    expect(await retryCommand.run([collector, '20230101T000000Z', ...args()], cli)).toBe(1);
    expect(cli.err()).toMatch(/no run 20230101T000000Z/);
  });
});
