// `npm run build`: one bundle with the collectors embedded, a zip under 1 MiB,
// and a handler that works from the bundle alone against real AWS APIs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { unzipSync } from 'fflate';
import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { buildLambda, MAX_ZIP_BYTES, type BuildResult } from '../../deploy/build/build.ts';
import { forbiddenInputs } from '../../deploy/build/bundle.ts';
import { CollectorBuildError, collectorsToEmbed } from '../../deploy/build/embed.ts';
import type { TaskErrorReport } from '../../runtime/core/output/error-report.ts';
import { createBucket, createTaskQueue, motoClients, startMoto, type AwsTestClients, type Moto } from '../helpers/moto.ts';
import { getJson, listKeys } from '../aws/s3-read.ts';

const run = promisify(execFile);

let moto: Moto;
let aws: AwsTestClients;
let out: string;
let built: BuildResult;
beforeAll(async () => {
  moto = await startMoto();
  aws = motoClients(moto.endpoint);
  out = mkdtempSync(join(tmpdir(), 'collect-build-'));
  built = await buildLambda({ cwd: process.cwd(), outDir: out, measure: true });
});
afterAll(async () => {
  rmSync(out, { recursive: true, force: true });
  await moto?.stop();
});

describe('the Lambda build', () => {
  it('writes a bundle and a zip under 1 MiB holding it as index.mjs, with the collectors embedded', () => {
    const names = readdirSync('collectors')
      .filter((f) => /\.ya?ml$/.test(f))
      .map((f) => f.replace(/\.ya?ml$/, ''));
    expect([...built.collectors].sort()).toEqual(names.sort());
    expect(built.zipBytes).toBeLessThan(MAX_ZIP_BYTES);
    const entries = unzipSync(new Uint8Array(readFileSync(built.zip)));
    expect(Object.keys(entries)).toEqual(['index.mjs']);
    const bundle = readFileSync(built.bundle);
    expect(Buffer.from(entries['index.mjs']!).equals(bundle)).toBe(true);
    expect(/name:"books-toscrape"/.test(bundle.toString())).toBe(true); // (a boolean: a failing match would print 1.5 MB)
    expect(built.coldInitMs).toBeGreaterThan(0);
    console.info(
      `lambda build: bundle ${(built.bundleBytes / 1024).toFixed(0)} KiB, zip ${(built.zipBytes / 1024).toFixed(0)} KiB, cold init ${built.coldInitMs!.toFixed(0)} ms`,
    );
  });

  it('keeps YAML parsing, schema validation and every tool out of the bundle', () => {
    const fake = {
      inputs: {
        'node_modules/yaml/dist/index.js': {},
        'node_modules/ajv/dist/ajv.js': {},
        'node_modules/undici/index.js': {},
        'runtime/core/engine/plan.ts': {},
        'runtime/tools/cli/main.ts': {},
      },
      outputs: {},
    };
    expect(forbiddenInputs(fake as never)).toEqual(['ajv', 'runtime/tools/cli/main.ts', 'yaml']);
    expect(/strictSchema|YAMLParseError/.test(readFileSync(built.bundle, 'utf8'))).toBe(false);
  });

  it('fails on a collector with an error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'collect-bad-'));
    writeFileSync(join(dir, 'bad.yaml'), 'name: bad\nstart: {urls: []}\nextract: {fields: {}}\noutput: nowhere\n');
    await expect(collectorsToEmbed([dir], process.cwd())).rejects.toThrow(CollectorBuildError);
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs from the bundle alone in a fresh process: a scheduled start and a task, against moto', async () => {
    const bucket = await createBucket(aws.s3);
    const books = await createTaskQueue(aws.sqs, 5);
    const github = await createTaskQueue(aws.sqs, 5);
    // A task whose page is on a private address: the deployed function's network guard refuses it, permanently.
    const task = {
      id: 'feedc0de00000001',
      runId: '20240901T060000Z',
      collector: 'github-issues',
      url: 'http://127.0.0.1:9/repos/x/y/issues',
      vars: {},
      page: 1,
      hop: 1,
      itemsSeen: 0,
      recent: [],
    };
    const script = join(out, 'invoke.mjs');
    const sqsRecord = {
      messageId: 'm1',
      receiptHandle: 'r1',
      body: JSON.stringify({ v: 1, task }),
      attributes: { ApproximateReceiveCount: '1' },
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn',
    };
    writeFileSync(
      script,
      `const { handler } = await import(${JSON.stringify(pathToFileURL(built.bundle).href)});
const context = { awsRequestId: 'req-1', getRemainingTimeInMillis: () => 60000 };
const started = await handler({ collector: 'books-toscrape', scheduledTime: '2024-09-01T06:00:00Z' }, context);
const batch = await handler({ Records: [${JSON.stringify(sqsRecord)}] }, context);
console.log('RESULT ' + JSON.stringify({ started, batch }));
`,
    );
    const { stdout } = await run(process.execPath, [script], {
      cwd: out,
      env: {
        PATH: process.env.PATH ?? '',
        AWS_ENDPOINT_URL: moto.endpoint,
        AWS_ACCESS_KEY_ID: 'test',
        AWS_SECRET_ACCESS_KEY: 'test',
        AWS_REGION: 'us-east-1',
        COLLECT_BUCKET: bucket,
        COLLECT_QUEUES: JSON.stringify({ 'books-toscrape': books.url, 'github-issues': github.url }),
      },
    });
    const result = JSON.parse(
      stdout
        .split('\n')
        .find((l) => l.startsWith('RESULT '))!
        .slice(7),
    ) as { started: unknown; batch: unknown };
    expect(result.started).toEqual({
      collector: 'books-toscrape',
      runId: '20240901T060000Z',
      seeds: 1,
      output: `s3://${bucket}/raw/books-toscrape`,
    });
    expect(result.batch).toEqual({ batchItemFailures: [] });

    const seed = await aws.sqs.send(new ReceiveMessageCommand({ QueueUrl: books.url, MaxNumberOfMessages: 10 }));
    expect(seed.Messages).toHaveLength(1);
    expect(JSON.parse(seed.Messages![0]!.Body!)).toMatchObject({
      v: 1,
      task: { url: 'https://books.toscrape.com/catalogue/page-1.html', hop: 1 },
    });
    const keys = await listKeys(aws.s3, bucket);
    expect(keys).toEqual([
      'raw/books-toscrape/dt=2024-09-01/run=20240901T060000Z/_run.json',
      'raw/github-issues/dt=2024-09-01/run=20240901T060000Z/_errors/feedc0de00000001.json',
      'raw/github-issues/dt=2024-09-01/run=20240901T060000Z/part-feedc0de00000001.jsonl.gz',
    ]);
    const report = await getJson<TaskErrorReport>(aws.s3, bucket, keys[1]!);
    expect(report.failures[0]).toMatchObject({ error: 'BlockedAddressError' });
  });
});
