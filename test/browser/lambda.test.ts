// The browser function as it is deployed: `npm run build`'s browser package
// (deploy/build/browser-bundle.ts), unzipped alone into a folder, its handler
// run in a fresh process against moto with the environment the Terraform gives
// it, Debian's Chromium standing in for the layer's (COLLECT_CHROMIUM_PATH).
// A scheduled start, then the seed task from the collector's queue: the pages
// are rendered, the records land in S3 and the run ends with its manifest.
// The HTTP function's bundle, built the same way, holds no browser code.
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildBrowserLambda, type BrowserBuildResult } from '../../deploy/build/browser-bundle.ts';
import { bundle } from '../../deploy/build/bundle.ts';
import { collectorsToEmbed } from '../../deploy/build/embed.ts';
import { tempDir } from '../helpers/collector.ts';
import { motoClients, startMoto, type AwsTestClients, type Moto } from '../helpers/moto.ts';
import { getJson, listKeys, readAllRecords } from '../aws/s3-read.ts';
import { createDeploymentResources, queueArn } from '../lambda/support.ts';
import { startRenderedSite, type RenderedSite } from './site.ts';

const run = promisify(execFile);

let moto: Moto;
let aws: AwsTestClients;
let site: RenderedSite;
let out: string;
let built: BrowserBuildResult;
let fnDir: string;
beforeAll(async () => {
  moto = await startMoto();
  aws = motoClients(moto.endpoint);
  site = await startRenderedSite({ pages: 2 });
  out = tempDir('collect-browser-build-');
  const collectors = join(out, 'collectors');
  mkdirSync(collectors);
  writeFileSync(
    join(collectors, 'rendered.yaml'),
    [
      'name: rendered',
      'start:',
      `  urls: ["${site.url}/list?page=1"]`,
      'network: {allow: ["127.0.0.1"]}',
      'browser:',
      '  wait: {selector: li.item}',
      'extract:',
      '  items: li.item',
      '  fields:',
      '    name: a',
      '    price: {selector: .price, type: number}',
      'paginate: {type: next-link, selector: a.next}',
      'output: s3://test-bucket/rendered',
      '',
    ].join('\n'),
  );
  built = await buildBrowserLambda({
    cwd: process.cwd(),
    outDir: join(out, 'dist'),
    collectors: await collectorsToEmbed([collectors], process.cwd()),
  });
  // The zip alone: what Lambda unpacks into /var/task.
  fnDir = join(out, 'task');
  for (const [name, data] of Object.entries(unzipSync(new Uint8Array(readFileSync(built.zip))))) {
    if (name.endsWith('/')) continue;
    mkdirSync(dirname(join(fnDir, name)), { recursive: true });
    writeFileSync(join(fnDir, name), data);
  }
});
afterAll(async () => {
  await site?.close();
  await moto?.stop();
  rmSync(out, { recursive: true, force: true });
});

describe('the browser function', () => {
  it('builds a zip with the handler, the collectors and playwright-core, and a Chromium layer', () => {
    const names = Object.keys(unzipSync(new Uint8Array(readFileSync(built.zip)), { filter: (f) => !f.name.startsWith('node_modules/') }));
    expect(names).toEqual(['index.mjs', 'collectors/rendered.json']);
    const layer: string[] = [];
    // Names only (the entries are 70 MB): where COLLECT_CHROMIUM_PACK=/opt/chromium expects them.
    unzipSync(new Uint8Array(readFileSync(built.layerZip)), {
      filter: (f) => {
        layer.push(f.name);
        return false;
      },
    });
    expect(layer).toEqual([
      'chromium/bin/al2023.tar.br',
      'chromium/bin/chromium.br',
      'chromium/bin/fonts.tar.br',
      'chromium/bin/swiftshader.tar.br',
    ]);
    expect(built.layerZipBytes).toBeGreaterThan(30 * 1024 * 1024);
    expect(built.zipBytes).toBeLessThan(50 * 1024 * 1024);
    expect(readFileSync(join(fnDir, 'node_modules/playwright-core/package.json'), 'utf8')).toContain('"name": "playwright-core"');
  });

  it('renders a browser collector from its queue on moto, with Debian Chromium standing in for the layer', async () => {
    const res = await createDeploymentResources(aws, ['rendered'], 5);
    const env = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      AWS_ENDPOINT_URL: moto.endpoint,
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_REGION: 'us-east-1',
      AWS_LAMBDA_FUNCTION_NAME: 'collect-browser',
      COLLECT_BUCKET: res.bucket,
      COLLECT_QUEUE_URL_PREFIX: res.queueUrlPrefix,
      COLLECT_LEDGER_TABLE: res.table,
      COLLECT_DEAD_LETTER_QUEUE_ARN: res.deadLetterQueue.arn,
      COLLECT_MAX_RECEIVE_COUNT: '5',
      COLLECT_FUNCTION_TIMEOUT_SECONDS: '120',
      COLLECT_CHROMIUM_PATH: '/usr/bin/chromium',
    };
    const invoke = async (event: unknown): Promise<unknown> => {
      const script = join(fnDir, 'invoke.mjs');
      writeFileSync(
        script,
        `const { handler } = await import(${JSON.stringify(pathToFileURL(join(fnDir, 'index.mjs')).href)});
const result = await handler(${JSON.stringify(event)}, { awsRequestId: 'req-1', functionName: 'collect-browser', getRemainingTimeInMillis: () => 120000 });
console.log('RESULT ' + JSON.stringify(result));
// A warm container keeps its browser; this process stands for one invocation and ends here.
process.exit(0);
`,
      );
      const { stdout } = await run(process.execPath, [script], { cwd: fnDir, env, timeout: 240_000 });
      return JSON.parse(
        stdout
          .split('\n')
          .find((l) => l.startsWith('RESULT '))!
          .slice(7),
      );
    };
    const started = (await invoke({ collector: 'rendered', scheduledTime: '2024-09-01T06:00:00Z' })) as { runId: string };
    expect(started).toMatchObject({ collector: 'rendered', runId: '20240901T060000Z', seeds: 1 });

    const url = res.queues.rendered!.url;
    const seed = await aws.sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, AttributeNames: ['All'] }));
    expect(seed.Messages).toHaveLength(1);
    const message = seed.Messages![0]!;
    const batch = await invoke({
      Records: [
        {
          messageId: message.MessageId,
          receiptHandle: message.ReceiptHandle,
          body: message.Body,
          attributes: { ApproximateReceiveCount: '1' },
          eventSource: 'aws:sqs',
          eventSourceARN: await queueArn(aws.sqs, url),
        },
      ],
    });
    expect(batch).toEqual({ batchItemFailures: [] });

    const records = await readAllRecords(aws.s3, res.bucket, 'rendered/');
    expect(records.map((r) => r.name).sort()).toEqual(['Item 1', 'Item 2', 'Item 3', 'Item 4', 'Item 5', 'Item 6']);
    const keys = await listKeys(aws.s3, res.bucket, 'rendered/');
    const manifestKey = keys.find((k) => k.endsWith('/_manifest.json'))!;
    expect(await getJson(aws.s3, res.bucket, manifestKey)).toMatchObject({ status: 'succeeded', pages: 2, records: 6, failures: 0 });
    // The pages were loaded by a browser: the site served the script bundle and its API calls.
    expect(site.hits('/static/list.js').length).toBeGreaterThanOrEqual(2);
    expect(site.hits('/api/items').length).toBeGreaterThanOrEqual(2);
  });

  it("leaves the browser out of the HTTP function's bundle", async () => {
    const http = await bundle(process.cwd(), join(out, 'http', 'index.mjs'));
    const inputs = Object.keys(http.metafile.inputs);
    expect(inputs.some((i) => i.includes('node_modules/playwright-core/'))).toBe(false);
    expect(inputs.some((i) => i.includes('node_modules/@sparticuz/chromium/'))).toBe(false);
    // The engine's lazy import is there, and never runs on this function.
    expect(readFileSync(http.outfile.startsWith('/') ? http.outfile : join(process.cwd(), http.outfile), 'utf8')).toContain(
      '"playwright-core"',
    );
  });
});
