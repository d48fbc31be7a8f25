// What the function prints: at the default level (INFO) one summary line per
// invocation, one line per finished run and the warnings, nothing from the
// libraries at cold start; the debug lines of an invocation only when it logs
// an error; never a secret or a record's contents.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startBooksSite, type RunningSite } from '../../demo/sites/books-site.ts';
import type { TaskErrorReport } from '../../runtime/core/output/error-report.ts';
import { planSeeds } from '../../runtime/core/engine/plan.ts';
import type { SqsEvent } from '../../runtime/drivers/lambda/events.ts';
import type { Collector } from '../../runtime/language/generated/collector.types.ts';
import { motoClients, startMoto, type AwsTestClients, type Moto } from '../helpers/moto.ts';
import { getJson, listKeys } from '../aws/s3-read.ts';
import { captureOutput, type Deployment, deploy, lambdaContext, lambdaTraceId, logLines, queueArn, runEnd } from './support.ts';
import { resolveCollector } from '../../runtime/language/resolve.ts';

let moto: Moto;
let aws: AwsTestClients;
let site: RunningSite;
let untrace: (() => void) | undefined;
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
  untrace?.();
  untrace = undefined;
});

const RUN = '20240801T000000Z';
const START = { collector: 'shop', scheduledTime: '2024-08-01T00:00:00Z' };
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

/** The seed tasks of a run as one SQS batch from the task queue, as if the event source mapping delivered them. */
function seedBatch(spec: Collector, arn: string): SqsEvent {
  return {
    Records: planSeeds(resolveCollector(spec), { runId: RUN }).map((task, i) => ({
      messageId: `m${i}`,
      receiptHandle: `r${i}`,
      body: JSON.stringify({ v: 1, task: { ...task, hop: 1 } }),
      attributes: { ApproximateReceiveCount: '1' },
      eventSource: 'aws:sqs',
      eventSourceARN: arn,
    })),
  };
}

/**
 * A fresh function (a cold start) invoked as Lambda would: the scheduled start of the run (unless
 * `start` is false), then its seeds as one batch. Everything it prints is captured.
 */
async function invoke(
  spec: Collector,
  options: Parameters<typeof deploy>[2] = {},
  start = true,
): Promise<{ text: string; response: unknown; dep: Deployment }> {
  const dep = await deploy(aws, [{ collector: spec, hash: 'h' }], { env: { SHOP_TOKEN: SECRET }, ...options });
  const batch = seedBatch(spec, await queueArn(aws.sqs, dep.queues.shop!.url));
  const out = captureOutput();
  let response: unknown;
  try {
    if (start) {
      untrace?.();
      untrace = lambdaTraceId();
      await dep.handler(START, lambdaContext());
    }
    untrace?.();
    untrace = lambdaTraceId();
    response = await dep.handler(batch, lambdaContext());
  } finally {
    out.restore();
    await dep.handler.close();
  }
  return { text: out.text(), response, dep };
}

describe('logs on Lambda', () => {
  it("prints one INFO summary per invocation, the run's end and the warnings at the default level, buffering the debug lines of a healthy invocation away", async () => {
    const { text, response, dep } = await invoke(shop());
    expect(response).toEqual({ batchItemFailures: [] });
    const lines = logLines(text);
    expect(lines.filter((l) => l.level === 'DEBUG')).toEqual([]);
    const summary = lines.filter((l) => l.message === 'invocation');
    expect(summary).toHaveLength(2);
    expect(summary.every((l) => l.level === 'INFO')).toBe(true);
    expect(summary[0]).toMatchObject({ kind: 'start', collector: 'shop', runId: RUN, seeds: 2, opened: true });
    expect(summary[1]).toMatchObject({
      level: 'INFO',
      kind: 'tasks',
      collector: 'shop',
      messages: 2,
      done: 2,
      pages: 2,
      records: 20,
      failures: 1,
    });
    expect(summary[1]!.requestId).toEqual(expect.any(String));
    // The cold start (the first invocation) prints its summary and nothing else: no library warnings.
    expect(lines[0]).toMatchObject({ message: 'invocation', kind: 'start' });
    // The warnings are the product's own: the task with a failed page, and the run's end (failed, for that page).
    expect(lines.filter((l) => l.level === 'WARN').map((l) => l.message)).toEqual([
      'task had permanent failures; see the run error report',
      'run finished',
    ]);
    const warning = lines.find((l) => l.level === 'WARN')!;
    expect(warning).toMatchObject({ collector: 'shop', runId: RUN, taskId: expect.any(String), failures: 1 });
    const finished = lines.filter((l) => l.message === 'run finished');
    expect(finished).toHaveLength(1);
    expect(finished[0]).toMatchObject({ collector: 'shop', runId: RUN, status: 'failed', records: 20, failures: 1, tasks: 2 });
    expect(lines.some((l) => l.level === 'ERROR')).toBe(false);
    // The last task to end ended the run.
    const { run, manifest } = await runEnd(aws, dep, 'shop', RUN, `shop/dt=2024-08-01/run=${RUN}/`);
    expect(run).toMatchObject({ state: 'failed', open: 0, done: 2 });
    expect(manifest).toMatchObject({ status: 'failed', records: 20, failures: 1 });
    // The 404's URL carried the token: neither the logs nor the error report show it.
    expect(text).not.toContain(SECRET);
    expect(text).toContain('[REDACTED]');
    const [errorKey] = (await listKeys(aws.s3, dep.bucket)).filter((k) => k.includes('/_errors/'));
    const report = await getJson<TaskErrorReport>(aws.s3, dep.bucket, errorKey!);
    expect(JSON.stringify(report)).not.toContain(SECRET);
    expect(report.failures[0]!.message).toContain('token=[REDACTED]');
    expect(JSON.stringify(manifest)).not.toContain(SECRET);
    // No record contents: book titles never appear.
    expect(text).not.toContain('A Light in the Attic');
    // EMF metrics per collector, in the deployment's namespace: the batch's, and the run's end.
    const emf = text
      .split('\n')
      .filter((l) => l.includes('"_aws"'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const tasks = emf.filter((e) => 'Pages' in e);
    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toMatchObject({ collector: 'shop', Pages: 2, Records: 20, Failures: 1, Retries: 0 });
    expect(emf.filter((e) => 'RunsFailed' in e)).toEqual([expect.objectContaining({ RunsFailed: 1 })]);
    expect(emf.filter((e) => 'RunFailed' in e)).toEqual([expect.objectContaining({ collector: 'shop', RunFailed: 1, RunRecords: 20 })]);
  });

  it('prints the buffered debug lines when the invocation logs an error', async () => {
    // A bucket that does not exist: every part's PUT fails after its pages were fetched. (No start:
    // its _run.json would fail first; the tasks open their run in the ledger themselves.)
    const { text, response } = await invoke(shop(), { bucket: 'no-such-bucket-anywhere' }, false);
    expect((response as { batchItemFailures: unknown[] }).batchItemFailures).toHaveLength(2);
    const lines = logLines(text);
    const firstError = lines.findIndex((l) => l.level === 'ERROR');
    expect(firstError).toBeGreaterThan(0);
    expect(lines[firstError]).toMatchObject({ message: 'task could not be committed or announced', error: 'NoSuchBucket' });
    const debug = lines.filter((l) => l.level === 'DEBUG');
    expect(debug.length).toBeGreaterThan(0);
    expect(debug.some((l) => l.message === 'page' && l.collector === 'shop' && l.runId === RUN)).toBe(true);
    expect(text).not.toContain(SECRET);
  });

  it('follows the deployment: no summary at ERROR, every debug line at DEBUG', async () => {
    const quiet = await invoke(shop(), { env: { SHOP_TOKEN: SECRET, POWERTOOLS_LOG_LEVEL: 'ERROR' } });
    expect(logLines(quiet.text)).toEqual([]);
    const loud = await invoke(shop(), {
      env: { SHOP_TOKEN: SECRET, POWERTOOLS_LOG_LEVEL: 'DEBUG', POWERTOOLS_METRICS_NAMESPACE: 'collect-test' },
    });
    const lines = logLines(loud.text);
    expect(lines.filter((l) => l.message === 'page')).toHaveLength(2);
    expect(lines.filter((l) => l.message === 'invocation')).toHaveLength(2); // the start and the batch
    expect(lines.filter((l) => l.message === 'run finished')).toHaveLength(1);
    expect(loud.text).toContain('"Namespace":"collect-test"');
  });

  it('prints the debug lines of a sampled invocation (POWERTOOLS_LOGGER_SAMPLE_RATE) at the INFO level', async () => {
    const sampled = await invoke(shop(), { env: { SHOP_TOKEN: SECRET, POWERTOOLS_LOGGER_SAMPLE_RATE: '1' } });
    const lines = logLines(sampled.text);
    expect(lines.filter((l) => l.message === 'page')).toHaveLength(2);
    expect(sampled.text).not.toContain(SECRET);
    const unsampled = await invoke(shop(), { env: { SHOP_TOKEN: SECRET, POWERTOOLS_LOGGER_SAMPLE_RATE: '0' } });
    expect(logLines(unsampled.text).filter((l) => l.level === 'DEBUG')).toEqual([]);
  });
});
