// `npm run build`: one bundle with the collectors embedded, a zip under 1 MiB,
// and a handler that works from the bundle alone against real AWS APIs,
// configured by the environment the Terraform gives the function.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { unzipSync } from 'fflate';
import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { buildLambda, MAX_ZIP_BYTES, type BuildResult } from '../../deploy/build/build.ts';
import { forbiddenInputs } from '../../deploy/build/bundle.ts';
import { COLLECTORS_DIR, CollectorBuildError, collectorsToEmbed } from '../../deploy/build/embed.ts';
import type { EmbeddedCollector } from '../../runtime/drivers/lambda/collectors.ts';
import type { TaskErrorReport } from '../../runtime/core/output/error-report.ts';
import { DynamoLedger } from '../../runtime/adapters/aws/dynamo-ledger.ts';
import { motoClients, startMoto, type AwsTestClients, type Moto } from '../helpers/moto.ts';
import { getJson, listKeys } from '../aws/s3-read.ts';
import { createDeploymentResources, queueArn } from './support.ts';

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
  it('writes a bundle and a zip under 1 MiB holding it as index.mjs, with each collector a file of its own beside it', () => {
    const names = readdirSync('collectors')
      .filter((f) => /\.ya?ml$/.test(f))
      .map((f) => f.replace(/\.ya?ml$/, ''));
    expect([...built.collectors].sort()).toEqual(names.sort());
    expect(built.zipBytes).toBeLessThan(MAX_ZIP_BYTES);
    const entries = unzipSync(new Uint8Array(readFileSync(built.zip)));
    expect(Object.keys(entries)).toEqual(['index.mjs', ...names.sort().map((n) => `${COLLECTORS_DIR}/${n}.json`)]);
    const bundle = readFileSync(built.bundle);
    expect(Buffer.from(entries['index.mjs']!).equals(bundle)).toBe(true);
    // The collectors are data beside the code, read by name on first use, not part of the module.
    expect(/books\.toscrape\.com\/catalogue/.test(bundle.toString())).toBe(false); // (a boolean: a failing match would print 1.5 MB)
    const books = JSON.parse(Buffer.from(entries[`${COLLECTORS_DIR}/books-toscrape.json`]!).toString()) as EmbeddedCollector;
    expect(books.collector.name).toBe('books-toscrape');
    expect(books.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(readFileSync(join(dirname(built.bundle), COLLECTORS_DIR, 'books-toscrape.json'), 'utf8')).toBe(JSON.stringify(books));
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

  it('runs from the bundle alone in a fresh process, configured by its environment: a start, a task, a dead letter and a sweep, against moto', async () => {
    // What the Terraform creates, and the environment it gives the function (runtime/drivers/lambda/config.ts).
    const res = await createDeploymentResources(aws, ['books-toscrape', 'github-issues'], 5);
    const ledger = new DynamoLedger(aws.dynamodb, { table: res.table });
    // A task whose page is on a private address: the deployed function's network guard refuses it, permanently.
    // Its run was not started here: the ledger learns of it from the task.
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
    const record = (body: string, arn: string) => ({
      messageId: 'm1',
      receiptHandle: 'r1',
      body,
      attributes: { ApproximateReceiveCount: '1' },
      eventSource: 'aws:sqs',
      eventSourceARN: arn,
    });
    const taskRecord = record(JSON.stringify({ v: 1, task }), await queueArn(aws.sqs, res.queues['github-issues']!.url));
    const deadLetter = record('{"hello":"world"}', res.deadLetterQueue.arn);
    const script = join(out, 'invoke.mjs');
    writeFileSync(
      script,
      `const { handler } = await import(${JSON.stringify(pathToFileURL(built.bundle).href)});
const context = { awsRequestId: 'req-1', getRemainingTimeInMillis: () => 60000 };
const started = await handler({ collector: 'books-toscrape', scheduledTime: '2024-09-01T06:00:00Z' }, context);
const batch = await handler({ Records: [${JSON.stringify(taskRecord)}] }, context);
const dead = await handler({ Records: [${JSON.stringify(deadLetter)}] }, context);
const sweep = await handler({ sweep: true }, context);
console.log('RESULT ' + JSON.stringify({ started, batch, dead, sweep }));
`,
    );
    const { stdout, stderr } = await run(process.execPath, [script], {
      cwd: out,
      env: {
        PATH: process.env.PATH ?? '',
        AWS_ENDPOINT_URL: moto.endpoint,
        AWS_ACCESS_KEY_ID: 'test',
        AWS_SECRET_ACCESS_KEY: 'test',
        AWS_REGION: 'us-east-1',
        COLLECT_BUCKET: res.bucket,
        COLLECT_QUEUE_URL_PREFIX: res.queueUrlPrefix,
        COLLECT_LEDGER_TABLE: res.table,
        COLLECT_DEAD_LETTER_QUEUE_ARN: res.deadLetterQueue.arn,
        COLLECT_MAX_RECEIVE_COUNT: '5',
        COLLECT_FUNCTION_TIMEOUT_SECONDS: '60',
      },
    });
    const result = JSON.parse(
      stdout
        .split('\n')
        .find((l) => l.startsWith('RESULT '))!
        .slice(7),
    ) as { started: unknown; batch: unknown; dead: unknown; sweep: unknown };
    expect(result.started).toEqual({
      collector: 'books-toscrape',
      runId: '20240901T060000Z',
      seeds: 1,
      output: `s3://${res.bucket}/raw/books-toscrape`,
      opened: true,
    });
    expect(result.batch).toEqual({ batchItemFailures: [] });
    // A batch from the dead-letter queue's ARN goes to its consumer, which drops what is not a task.
    expect(result.dead).toEqual({ batchItemFailures: [] });
    const summaries = stdout
      .split('\n')
      .filter((l) => l.includes('"message":"invocation"'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(summaries.map((l) => l.kind)).toEqual(['start', 'tasks', 'dead-letters', 'sweep']);
    expect(summaries[2]).toMatchObject({ messages: 1, invalid: 1 });
    expect(stderr).toContain('dead letter is not a task; dropped');
    expect(result.sweep).toEqual({ stalled: [] });

    const seed = await aws.sqs.send(new ReceiveMessageCommand({ QueueUrl: res.queues['books-toscrape']!.url, MaxNumberOfMessages: 10 }));
    expect(seed.Messages).toHaveLength(1);
    expect(JSON.parse(seed.Messages![0]!.Body!)).toMatchObject({
      v: 1,
      task: { url: 'https://books.toscrape.com/catalogue/page-1.html', hop: 1 },
    });
    const keys = await listKeys(aws.s3, res.bucket);
    // The one task of the github-issues run was its last: the run ended (failed, for the refused page) and wrote its
    // manifest, and its row of the collect_runs table.
    expect(keys).toEqual([
      'collect-runs/dt=2024-09-01/github-issues/20240901T060000Z.json',
      'raw/books-toscrape/dt=2024-09-01/run=20240901T060000Z/_run.json',
      'raw/github-issues/dt=2024-09-01/run=20240901T060000Z/_errors/feedc0de00000001.json',
      'raw/github-issues/dt=2024-09-01/run=20240901T060000Z/_manifest.json',
      'raw/github-issues/dt=2024-09-01/run=20240901T060000Z/part-feedc0de00000001.jsonl.gz',
    ]);
    const report = await getJson<TaskErrorReport>(aws.s3, res.bucket, keys[2]!);
    expect(report.failures[0]).toMatchObject({ error: 'BlockedAddressError' });
    expect(await ledger.get('github-issues', '20240901T060000Z')).toMatchObject({ state: 'failed', open: 0, done: 1 });
    expect(await ledger.get('books-toscrape', '20240901T060000Z')).toMatchObject({ state: 'running', seeds: 1, open: 1 });
  });
});
