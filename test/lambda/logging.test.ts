// What the function prints: little at the default level, the debug lines of an
// invocation only when it logs an error, never a secret or a record's contents.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startBooksSite, type RunningSite } from '../../demo/sites/books-site.ts';
import type { TaskErrorReport } from '../../runtime/core/output/error-report.ts';
import { planSeeds } from '../../runtime/core/engine/plan.ts';
import type { SqsEvent } from '../../runtime/drivers/lambda/events.ts';
import type { Collector } from '../../runtime/language/generated/collector.types.ts';
import { motoClients, startMoto, type AwsTestClients, type Moto } from '../helpers/moto.ts';
import { getJson, listKeys } from '../aws/s3-read.ts';
import { captureOutput, deploy, lambdaContext, logLines } from './support.ts';
import { resolveCollector } from '../../runtime/language/resolve.ts';

let moto: Moto;
let aws: AwsTestClients;
let site: RunningSite;
beforeAll(async () => {
  moto = await startMoto();
  aws = motoClients(moto.endpoint);
  site = await startBooksSite({ detailCount: 20, perPage: 10 });
});
afterAll(async () => {
  await site?.close();
  await moto?.stop();
});
afterEach(() => {
  delete process.env._X_AMZN_TRACE_ID;
});

const RUN = '20240801T000000Z';
const SECRET = 'tok-3141592653';

const shop = (over: Partial<Collector> = {}): Collector => ({
  name: 'shop',
  start: { urls: [`${site.url}/catalogue/page-1.html`, `${site.url}/catalogue/missing.html`] },
  parse: 'html',
  extract: { items: 'article.product_pod', fields: { title: { selector: 'h3 a', attr: 'title', required: true } } },
  paginate: { type: 'next-link', selector: 'li.next a' },
  request: { query: { token: '${env:SHOP_TOKEN}' }, rateLimit: { perSecond: 2000, concurrency: 8 }, retries: { attempts: 0 } },
  output: 's3://x/shop',
  ...over,
});

/** The seed tasks of a run as one SQS batch, as if the event source mapping delivered them. */
function seedBatch(spec: Collector): SqsEvent {
  return {
    Records: planSeeds(resolveCollector(spec), { runId: RUN }).map((task, i) => ({
      messageId: `m${i}`,
      receiptHandle: `r${i}`,
      body: JSON.stringify({ v: 1, task: { ...task, hop: 1 } }),
      attributes: { ApproximateReceiveCount: '1' },
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:us-east-1:123456789012:shop',
    })),
  };
}

async function invoke(
  spec: Collector,
  options: Parameters<typeof deploy>[2] = {},
): Promise<{ text: string; response: unknown; bucket: string }> {
  const dep = await deploy(aws, [{ collector: spec, hash: 'h' }], { env: { SHOP_TOKEN: SECRET }, ...options });
  process.env._X_AMZN_TRACE_ID = `Root=1-5759e988-bd862e3fe1be46a9942727${Math.floor(Math.random() * 90 + 10)};Parent=557abcec3ee5a047;Sampled=0`;
  const out = captureOutput();
  let response: unknown;
  try {
    response = await dep.handler(seedBatch(spec), lambdaContext());
  } finally {
    out.restore();
    await dep.handler.close();
  }
  return { text: out.text(), response, bucket: dep.bucket };
}

describe('logs on Lambda', () => {
  it('prints one INFO summary and the warnings at the default level, buffering the debug lines of a healthy invocation away', async () => {
    const { text, response, bucket } = await invoke(shop());
    expect(response).toEqual({ batchItemFailures: [] });
    const lines = logLines(text);
    expect(lines.filter((l) => l.level === 'DEBUG')).toEqual([]);
    const summary = lines.filter((l) => l.message === 'invocation');
    expect(summary).toHaveLength(1);
    expect(summary[0]).toMatchObject({
      level: 'INFO',
      kind: 'tasks',
      collector: 'shop',
      messages: 2,
      done: 2,
      pages: 2,
      records: 20,
      failures: 1,
    });
    expect(summary[0]!.requestId).toEqual(expect.any(String));
    const warning = lines.find((l) => l.level === 'WARN')!;
    expect(warning).toMatchObject({ collector: 'shop', runId: RUN, taskId: expect.any(String), failures: 1 });
    // The 404's URL carried the token: neither the logs nor the error report show it.
    expect(text).not.toContain(SECRET);
    expect(text).toContain('[REDACTED]');
    const [errorKey] = (await listKeys(aws.s3, bucket)).filter((k) => k.includes('/_errors/'));
    const report = await getJson<TaskErrorReport>(aws.s3, bucket, errorKey!);
    expect(JSON.stringify(report)).not.toContain(SECRET);
    expect(report.failures[0]!.message).toContain('token=[REDACTED]');
    // No record contents: book titles never appear.
    expect(text).not.toContain('A Light in the Attic');
    // EMF metrics per collector, in the deployment's namespace.
    const emf = text
      .split('\n')
      .filter((l) => l.includes('"_aws"'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(emf).toHaveLength(1);
    expect(emf[0]).toMatchObject({ collector: 'shop', Pages: 2, Records: 20, Failures: 1, Retries: 0 });
  });

  it('prints the buffered debug lines when the invocation logs an error', async () => {
    // A bucket that does not exist: every part's PUT fails after its pages were fetched.
    const { text, response } = await invoke(shop(), { bucket: 'no-such-bucket-anywhere' });
    expect((response as { batchItemFailures: unknown[] }).batchItemFailures).toHaveLength(2);
    const lines = logLines(text);
    const firstError = lines.findIndex((l) => l.level === 'ERROR');
    expect(firstError).toBeGreaterThan(0);
    expect(lines[firstError]).toMatchObject({ message: 'task failed unexpectedly', error: 'NoSuchBucket' });
    const debug = lines.filter((l) => l.level === 'DEBUG');
    expect(debug.length).toBeGreaterThan(0);
    expect(debug.some((l) => l.message === 'page' && l.collector === 'shop' && l.runId === RUN)).toBe(true);
    expect(text).not.toContain(SECRET);
  });

  it('follows the deployment: no summary at ERROR, every debug line at DEBUG', async () => {
    const quiet = await invoke(shop(), { env: { SHOP_TOKEN: SECRET, POWERTOOLS_LOG_LEVEL: 'ERROR' } });
    expect(logLines(quiet.text)).toEqual([]);
    delete process.env._X_AMZN_TRACE_ID;
    const dep = await deploy(aws, [{ collector: shop(), hash: 'h' }], {
      env: { SHOP_TOKEN: SECRET, POWERTOOLS_LOG_LEVEL: 'DEBUG', POWERTOOLS_METRICS_NAMESPACE: 'collect-test' },
    });
    const out = captureOutput();
    try {
      await dep.handler(seedBatch(shop()), lambdaContext());
    } finally {
      out.restore();
      await dep.handler.close();
    }
    const lines = logLines(out.text());
    expect(lines.filter((l) => l.message === 'page')).toHaveLength(2);
    expect(lines.filter((l) => l.message === 'invocation')).toHaveLength(1);
    expect(out.text()).toContain('"Namespace":"collect-test"');
  });
});
