// The AWS path under faults, on moto_server: the real handler, real SQS queues
// with a dead-letter redrive, real S3. What test/lambda/redelivery.test.ts
// already shows (one message delivered twice in a row, an invocation failing
// after its part was written because a continuation could not be sent, a page
// failing on every delivery) is not repeated; these scenarios add:
//
//   - S3 PutObject of every part failing on its first try (a middleware on the
//     handler's S3 client): every task is redelivered and its part written once;
//   - PutObject failing on a seeded half of its tries, across the whole run;
//   - invocations that die after doing all their work and before answering
//     (the event source mapping then returns the whole batch to the queue);
//   - the same batch handled by two invocations at once (SQS delivering a
//     message again while its first delivery is still running);
//   - all of the above at once.
//
// After each: every record exactly once (by its detail page URL), one part per
// task, nothing in the dead-letter queue, no error report.
import { createHash, randomUUID } from 'node:crypto';
import type { S3Client } from '@aws-sdk/client-s3';
import { startBooksSite, type RunningSite } from '../../demo/sites/books-site.ts';
import { taskId } from '../../runtime/core/engine/plan.ts';
import type { LambdaContext, SqsEvent } from '../../runtime/drivers/lambda/events.ts';
import { partName } from '../../runtime/core/output/layout.ts';
import type { Collector } from '../../runtime/language/generated/collector.types.ts';
import { listKeys, readAllRecords } from '../aws/s3-read.ts';
import { drainQueue, queueDepth, type DriveReport, type SqsHandler } from '../helpers/esm-driver.ts';
import { motoClients, startMoto, uniqueName, type AwsTestClients, type Moto } from '../helpers/moto.ts';
import { captureOutput, deploy, lambdaContext } from '../lambda/support.ts';
import { caseChecker, tally, type CaseResult } from './verdict.ts';

const BOOKS = 80;
const PER_PAGE = 10;
/**
 * Listing pages 1-2, 3-4, 5-6, 7-8: four tasks, each handing the chain on to the
 * next. A task that runs twice sends its continuation twice, so the copies double
 * at every link of a chain whose every delivery is duplicated: short chains keep
 * the scenarios quick.
 */
const TASKS = 4;
const RUN_ID = '20240701T000000Z';
const PREFIX = `shop/dt=2024-07-01/run=${RUN_ID}/`;
const START = { collector: 'shop', scheduledTime: '2024-07-01T00:00:00Z' };

/**
 * Seeded chance in [0, 1) drawn from what is being decided on (a key and a try,
 * a batch's tasks and receive counts), not from the order of calls: tasks of a
 * batch run concurrently, so a sequence of draws would not replay.
 */
type Chance = (what: string) => number;

export interface AwsScenario {
  name: string;
  /** Fails S3 PutObject calls of parts: return true to fail this one. `part` names it by its first page ("page-3"), `nth` counts its tries. */
  failPut?: (part: string, nth: number, chance: Chance) => boolean;
  /** Makes an invocation die after it has done its work, before it answers. */
  dieAfterWork?: (event: SqsEvent, chance: Chance) => boolean;
  /** Hands a batch to two invocations at once. */
  deliverTwice?: (event: SqsEvent, chance: Chance) => boolean;
  batchSize: number;
}

/** What identifies a delivery, the same in every run: its tasks' paths and their receive counts. */
function deliveryKey(event: SqsEvent): string {
  return event.Records.map(
    (r) => `${new URL((JSON.parse(r.body) as { task: { url: string } }).task.url).pathname}#${r.attributes.ApproximateReceiveCount}`,
  ).join(',');
}

function chanceFor(seed: number): Chance {
  return (what) => createHash('sha256').update(`${seed}:${what}`).digest().readUInt32BE(0) / 2 ** 32;
}

export const AWS_SCENARIOS: readonly AwsScenario[] = [
  { name: 'every part PutObject fails on its first try', failPut: (_key, nth) => nth === 1, batchSize: 1 },
  {
    name: 'PutObject fails at random (half the tries, seeded)',
    failPut: (key, nth, chance) => chance(`${key}#${nth}`) < 0.5,
    batchSize: 2,
  },
  {
    name: 'every first delivery dies after writing its parts, before answering',
    dieAfterWork: (event) => event.Records.some((r) => r.attributes.ApproximateReceiveCount === '1'),
    batchSize: 2,
  },
  { name: 'every batch handled by two invocations at once', deliverTwice: () => true, batchSize: 2 },
  {
    name: 'all of them at once (seeded)',
    failPut: (key, nth, chance) => chance(`${key}#${nth}`) < 0.15,
    dieAfterWork: (event, chance) => chance(`die ${deliveryKey(event)}`) < 0.15,
    deliverTwice: (event, chance) => chance(`twice ${deliveryKey(event)}`) < 0.3,
    batchSize: 3,
  },
];

interface AwsScenarioResult extends CaseResult {
  /** Messages received, redeliveries included. */
  deliveries: number;
  /** Receives beyond the first of a message (ApproximateReceiveCount > 1). */
  redeliveries: number;
  putsFailed: number;
  invocationsDied: number;
  doubleDeliveries: number;
  records: number;
  lost: string[];
  duplicates: string[];
}

export interface AwsFaultsReport {
  scenarios: AwsScenarioResult[];
  ms: number;
}

const shop = (site: RunningSite): Collector => ({
  name: 'shop',
  start: { urls: [`${site.url}/catalogue/page-1.html`] },
  parse: 'html',
  extract: {
    items: 'article.product_pod',
    fields: {
      title: { selector: 'h3 a', attr: 'title', required: true },
      url: { selector: 'h3 a', attr: 'href', type: 'url', required: true },
    },
  },
  follow: { field: 'url', extract: { fields: { upc: { selector: 'table.table-striped tr:nth-child(1) td', required: true } } } },
  paginate: { type: 'next-link', selector: 'li.next a' },
  request: { rateLimit: { perSecond: 2000, concurrency: 8 }, retries: { attempts: 1, baseDelaySeconds: 0.01 } },
  scaling: { pagesPerTask: 2 },
  output: 's3://x/shop',
});

class InjectedS3Error extends Error {
  override readonly name = 'InternalError';
}

/** An S3 client of its own for the handler, failing part PUTs as the scenario says. */
function faultyS3(
  endpoint: string,
  scenario: AwsScenario,
  chance: Chance,
  counter: { failed: number },
  partLabel: (key: string) => string,
): S3Client {
  const { s3 } = motoClients(endpoint);
  const tries = new Map<string, number>();
  s3.middlewareStack.add(
    (next, context) => async (args) => {
      const key = String((args.input as { Key?: string }).Key ?? '');
      if (context.commandName === 'PutObjectCommand' && /\/part-[^/]+$/.test(key) && scenario.failPut) {
        const nth = (tries.get(key) ?? 0) + 1;
        tries.set(key, nth);
        if (scenario.failPut(partLabel(key), nth, chance)) {
          counter.failed++;
          throw new InjectedS3Error(`injected: PutObject ${key} failed`);
        }
      }
      return next(args);
    },
    { step: 'initialize', name: uniqueName('failPut') },
  );
  return s3;
}

/** The handler as the event source mapping sees it, with deaths and double deliveries. */
function faultyInvoker(handler: SqsHandler, scenario: AwsScenario, chance: Chance, counter: { died: number; doubled: number }): SqsHandler {
  return async (event: SqsEvent, context: LambdaContext) => {
    let answer: unknown;
    if (scenario.deliverTwice?.(event, chance)) {
      counter.doubled++;
      const second: LambdaContext = { ...context, awsRequestId: randomUUID() };
      [answer] = await Promise.all([handler(event, context), handler(structuredClone(event), second)]);
    } else {
      answer = await handler(event, context);
    }
    if (scenario.dieAfterWork?.(event, chance)) {
      counter.died++;
      throw new Error('injected: the invocation died before it answered');
    }
    return answer;
  };
}

async function runScenario(
  moto: Moto,
  aws: AwsTestClients,
  site: RunningSite,
  scenario: AwsScenario,
  seed: number,
  expected: string[],
): Promise<AwsScenarioResult> {
  // Part keys hash the site's URL, whose port changes from run to run: decisions go by page instead.
  const labels = new Map<string, string>();
  for (let page = 1; page <= BOOKS / PER_PAGE; page++)
    labels.set(partName(taskId(RUN_ID, `${site.url}/catalogue/page-${page}.html`, undefined)), `page-${page}`);
  const partLabel = (key: string) => labels.get(key.slice(key.lastIndexOf('/') + 1)) ?? key;
  const { result, check } = caseChecker(scenario.name);
  const chance = chanceFor(seed);
  const puts = { failed: 0 };
  const deaths = { died: 0, doubled: 0 };
  const s3 = faultyS3(moto.endpoint, scenario, chance, puts, partLabel);
  const dep = await deploy({ ...aws, s3 }, [{ collector: shop(site), hash: 'h' }], { maxReceiveCount: 6 });
  const queue = dep.queues.shop!;
  const out = captureOutput();
  let report: DriveReport;
  try {
    await dep.handler(START, lambdaContext());
    report = await drainQueue({
      sqs: aws.sqs,
      queueUrl: queue.url,
      handler: faultyInvoker(dep.handler, scenario, chance, deaths),
      batchSize: scenario.batchSize,
      // One poller, so that batches form the same way each time; two invocations at once come from deliverTwice.
      concurrency: 1,
    });
  } finally {
    out.restore();
    await dep.handler.close();
  }
  const records = await readAllRecords(aws.s3, dep.bucket, PREFIX);
  const keys = await listKeys(aws.s3, dep.bucket, PREFIX);
  const { lost, duplicates } = tally(
    expected,
    records.map((r) => String(r.url)),
  );
  const receiveCounts = report.invocations.flatMap((i) => i.receiveCounts);
  check(lost.length === 0, `${lost.length} records lost`);
  check(
    duplicates.length === 0 && records.length === expected.length,
    `${records.length} records for ${expected.length} books (${duplicates.length} written twice)`,
  );
  check(
    keys.filter((k) => k.endsWith('.jsonl.gz')).length === TASKS,
    `${keys.filter((k) => k.endsWith('.jsonl.gz')).length} parts, expected ${TASKS}`,
  );
  check(!keys.some((k) => k.includes('/_errors/')), 'an error report was written');
  const dlq = await queueDepth(aws.sqs, queue.dlqUrl);
  check(dlq.visible + dlq.inFlight === 0, `${dlq.visible + dlq.inFlight} messages in the dead-letter queue`);
  // A scenario that injected nothing proves nothing.
  const injected = puts.failed + deaths.died + deaths.doubled;
  check(injected > 0, 'no fault was injected');
  if (puts.failed + deaths.died > 0)
    check(
      receiveCounts.some((c) => c > 1),
      'nothing was redelivered',
    );
  return {
    ...result,
    deliveries: receiveCounts.length,
    redeliveries: receiveCounts.filter((c) => c > 1).length,
    putsFailed: puts.failed,
    invocationsDied: deaths.died,
    doubleDeliveries: deaths.doubled,
    records: records.length,
    lost,
    duplicates,
  };
}

/** Runs the scenarios on moto (MOTO_ENDPOINT, or a moto_server of its own). */
export async function runAwsFaults(options: { seed?: number; scenarios?: readonly AwsScenario[] } = {}): Promise<AwsFaultsReport> {
  const t0 = performance.now();
  const moto = await startMoto();
  const site = await startBooksSite({ detailCount: BOOKS, perPage: PER_PAGE });
  try {
    const aws = motoClients(moto.endpoint);
    // The books' detail URLs: what an uninterrupted run writes, once each.
    const expected = await bookUrls(site, BOOKS);
    const scenarios: AwsScenarioResult[] = [];
    const seed = options.seed ?? 20260701;
    for (const [i, scenario] of (options.scenarios ?? AWS_SCENARIOS).entries()) {
      scenarios.push(await runScenario(moto, aws, site, scenario, seed + i, expected));
    }
    return { scenarios, ms: performance.now() - t0 };
  } finally {
    await site.close();
    await moto.stop();
  }
}

/** Every book's detail URL, read from the listing pages. */
async function bookUrls(site: RunningSite, count: number): Promise<string[]> {
  const urls: string[] = [];
  for (let page = 1; urls.length < count; page++) {
    const base = `${site.url}/catalogue/page-${page}.html`;
    const html = await fetch(base).then((r) => r.text());
    for (const m of html.matchAll(/<h3><a href="([^"]+)"/g)) urls.push(new URL(m[1]!, base).href);
  }
  return urls;
}
