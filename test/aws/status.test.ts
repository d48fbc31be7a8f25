// `collect status` against moto: a run's totals summed from its parts' metadata.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { statusCommand } from '../../runtime/tools/cli/commands/status.ts';
import type { CliIO } from '../../runtime/tools/cli/command.ts';
import { buildErrorReport, putErrorReport } from '../../runtime/core/output/error-report.ts';
import { S3Sink } from '../../runtime/adapters/aws/s3-sink.ts';
import type { Manifest } from '../../runtime/core/output/manifest.ts';
import type { RunLocation } from '../../runtime/core/engine/ports.ts';
import { emptyStats, type TaskStats } from '../../runtime/core/engine/stats.ts';
import type { Task } from '../../runtime/core/engine/task.ts';
import { createBucket, motoClients, startMoto, type AwsTestClients, type Moto } from '../helpers/moto.ts';
import { getJson } from './s3-read.ts';

let moto: Moto;
let aws: AwsTestClients;
let bucket: string;
beforeAll(async () => {
  moto = await startMoto();
  aws = motoClients(moto.endpoint);
  bucket = await createBucket(aws.s3);
  // Two runs of books-toscrape; the later one has three tasks and an error report.
  const sink = new S3Sink(aws.s3, { specHash: 'abcdef0123456789abcdef' });
  const run = (runId: string): RunLocation => ({ collector: 'books-toscrape', runId, output: `s3://${bucket}/raw/books-toscrape` });
  const stats = (pages: number, records: number, failures = 0): TaskStats => ({
    ...emptyStats(),
    pages,
    records,
    failures,
    retries: 1,
    bytes: 1000 * pages,
    durationMs: 100 * pages,
    filled: { title: records, price: records, upc: records },
  });
  const write = async (r: RunLocation, id: string, s: TaskStats) => {
    const part = sink.openPart(r, id);
    for (let i = 0; i < s.records; i++) part.write({ title: `t${i}` });
    await part.commit(s);
  };
  await write(run('20240501T060000Z'), 'a', stats(5, 4));
  const latest = run('20240502T060000Z');
  await sink.putRunFile(
    latest,
    '_run.json',
    JSON.stringify({
      v: 1,
      collector: 'books-toscrape',
      runId: latest.runId,
      specHash: 'abcdef',
      scheduledTime: '2024-05-02T06:00:00Z',
      seeds: 1,
      startedAt: new Date(Date.now() - 60_000).toISOString(),
    }),
  );
  await write(latest, 'a', stats(21, 20));
  await write(latest, 'b', stats(21, 19, 1));
  await write(latest, 'c', stats(10, 9));
  const task: Task = {
    id: 'b',
    runId: latest.runId,
    collector: 'books-toscrape',
    url: 'https://books.example/page-2.html',
    vars: {},
    page: 2,
    hop: 2,
    itemsSeen: 0,
    recent: [],
  };
  await putErrorReport(
    sink,
    latest,
    buildErrorReport(
      task,
      1,
      [
        {
          taskId: 'b',
          url: 'https://books.example/x_13/index.html',
          error: 'HttpStatusError',
          message: 'HTTP 404 from https://books.example/x_13/index.html',
          status: 404,
          at: new Date().toISOString(),
        },
      ],
      [],
    ),
  );
  // An object that is not a part is ignored.
  await aws.s3.send(
    new PutObjectCommand({ Bucket: bucket, Key: `raw/books-toscrape/dt=2024-05-02/run=${latest.runId}/notes.txt`, Body: 'x' }),
  );
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

const args = () => ['--bucket', bucket, '--endpoint', moto.endpoint];

describe('collect status', () => {
  it('lists the runs of a collector, latest first', async () => {
    const cli = io();
    expect(await statusCommand.run(['books-toscrape', ...args()], cli)).toBe(0);
    expect(cli.out()).toMatch(/20240502T060000Z\s+2024-05-02\n\s+20240501T060000Z\s+2024-05-01/);
  });

  it("sums a run's part metadata and shows its error report", async () => {
    const cli = io();
    expect(await statusCommand.run(['books-toscrape', 'latest', ...args()], cli)).toBe(1); // it has a failure
    const text = cli.out();
    expect(text).toContain('books-toscrape run 20240502T060000Z');
    expect(text).toMatch(/tasks\s+3 \(from 1 seeds\)/);
    expect(text).toMatch(/pages\s+52\n/);
    expect(text).toMatch(/records\s+48\n/);
    expect(text).toMatch(/failures\s+1\n/);
    expect(text).toMatch(/retries\s+3\n/);
    expect(text).toMatch(/downloaded\s+50\.8 KiB/);
    expect(text).toMatch(/duration\s+\d+(\.\d+)? s \(5\.20 s of task time\)/);
    expect(text).toContain('failed: https://books.example/x_13/index.html: HTTP 404');
    expect(text).not.toContain('at least 1000'); // minRecords is checked only for a finished run (--write-manifest)
  });

  it('prints JSON and writes the manifest of a finished run', async () => {
    const cli = io();
    await statusCommand.run(['collectors/books-toscrape.yaml', '20240502T060000Z', '--format', 'json', '--write-manifest', ...args()], cli);
    const out = JSON.parse(cli.out()) as {
      tasks: number;
      stats: { records: number };
      manifest: Manifest;
      manifestKey: string;
      errors: unknown[];
    };
    expect(out).toMatchObject({ tasks: 3, stats: { records: 48 }, errors: [expect.anything()] });
    expect(out.manifest).toMatchObject({
      collector: 'books-toscrape',
      runId: '20240502T060000Z',
      status: 'failed',
      specHash: 'abcdef',
      tasks: 3,
      pages: 52,
      records: 48,
    });
    expect(out.manifest.expectations.problems).toEqual(['expected at least 1000 records, got 48']);
    // Declared fields no part filled show as 0: an emptied field is visible, not missing.
    expect(out.manifest.fillRates).toEqual({ title: 1, price: 1, upc: 1, url: 0, rating: 0, availability: 0, stock: 0, category: 0 });
    const written = await getJson<Manifest>(aws.s3, bucket, out.manifestKey);
    expect(written.parts).toEqual(['part-a.jsonl.gz', 'part-b.jsonl.gz', 'part-c.jsonl.gz']);
  });

  it('says so when a run does not exist, and refuses a bad run id', async () => {
    const cli = io();
    expect(await statusCommand.run(['books-toscrape', '20230101T000000Z', ...args()], cli)).toBe(1);
    expect(cli.err()).toMatch(/no run 20230101T000000Z of books-toscrape/);
    await expect(statusCommand.run(['books-toscrape', 'yesterday', ...args()], io())).rejects.toThrow(/not a run id/);
  });
});
