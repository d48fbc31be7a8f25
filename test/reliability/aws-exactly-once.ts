// Exactly-once records from at-least-once parts: the built bundle on moto,
// driven by the event source mapping emulator, through every disturbance
// issue #12 names. Each scenario runs a whole crawl (12 listing pages of 5
// books with their detail pages, 3 listing pages a task: a chain of 4 tasks)
// and is compared with an undisturbed run: records lost, records duplicated,
// deliveries, requests to the source, S3 PUTs, and whether the function
// itself ended the run and wrote its manifest.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { startBooksSite, type RunningSite } from '../../demo/sites/books-site.ts';
import type { Task } from '../../runtime/core/engine/task.ts';
import { encodeTaskMessage } from '../../runtime/core/engine/task-message.ts';
import type { Collector } from '../../runtime/language/generated/collector.types.ts';
import { listKeys } from '../aws/s3-read.ts';
import type { AwsCall, FaultRule } from '../helpers/lambda/fault-proxy.ts';
import { Deployment, type DeploymentOptions } from '../helpers/lambda/deployment.ts';

export interface ExactlyOnceScenario {
  name: string;
  options?: Partial<DeploymentOptions>;
  rules?: FaultRule[];
  /** Scheduled starts of the same run after the first. */
  extraStarts?: number;
  /** A listing page that answers only after the function's timeout: its task dies on every delivery and is dead-lettered. */
  hangPage?: number;
  /** After the run ends, retry its failed tasks as an operator would (collect retry) and let it end again. */
  retry?: boolean;
}

export interface ExactlyOnceResult {
  name: string;
  expected: number;
  records: number;
  lost: number;
  duplicated: number;
  /** Task messages received by the function (every delivery of every copy). */
  deliveries: number;
  /** Requests that reached the source site. */
  sourceRequests: number;
  puts: number;
  state: string;
  failedTasks: number;
  manifest: boolean;
  /** What the run looked like before the retry, for a scenario with one. */
  before?: { state: string; failedTasks: number; records: number };
  problems: string[];
}

const part = (c: AwsCall) => c.service === 's3' && c.op === 'PutObject' && /\/part-[0-9a-f]+\.jsonl\.gz$/.test(c.key ?? '');
const ledgerUpdate = (marker: string) => (c: AwsCall) => c.service === 'dynamodb' && (c.detail ?? '').includes(marker);
const followUpSend = (c: AwsCall) => c.service === 'sqs' && c.op === 'SendMessageBatch';

export const SCENARIOS: ExactlyOnceScenario[] = [
  { name: 'undisturbed' },
  { name: 'redelivery after success', options: { duplicate: 'after-success' } },
  { name: 'two concurrent copies with different time left', options: { duplicate: 'concurrent', budgets: [6_000, 2_600], concurrency: 3 } },
  { name: 'S3 500 on the part PUT (every SDK attempt)', rules: [{ match: part, action: 'fail', times: 3 }] },
  // The first send is the start's seeds; the SDK tries a call 3 times and the queue adapter a batch 5 times: 15 failures fail the send.
  { name: 'SQS error on the follow-up send', rules: [{ match: followUpSend, skip: 1, action: 'fail', times: 15 }] },
  { name: 'killed after the part PUT, before the commit', rules: [{ match: part, skip: 1, action: 'crash-after' }] },
  {
    name: 'killed after the commit, before the follow-ups are sent',
    rules: [{ match: ledgerUpdate(':committed'), skip: 1, action: 'crash-after' }],
  },
  { name: 'killed after the send, before the task counts done', rules: [{ match: followUpSend, skip: 1, action: 'crash-after' }] },
  {
    name: 'killed after the task counts done, before its message is deleted',
    rules: [{ match: ledgerUpdate('"done"'), skip: 1, action: 'crash-after' }],
  },
  { name: 'duplicate scheduler start', extraStarts: 2 },
  {
    name: 'a budget that cuts chains at different pages on each delivery',
    options: { duplicate: 'concurrent', budgets: [2_600, 4_000, 6_000], concurrency: 3 },
  },
  {
    name: 'a task dead-lettered (the run ends failed), then retried',
    hangPage: 5,
    retry: true,
    options: { timeoutMs: 3_000, maxReceiveCount: 5 },
  },
];

const RUN = '20240101T060000Z';
const SCHEDULED = '2024-01-01T06:00:00Z';

/** The request timeout is longer than any function budget here, so a page that hangs kills the invocation, as on Lambda. */
function crawl(siteUrl: string): Collector {
  return {
    name: 'shop',
    variables: { base_url: siteUrl },
    start: { urls: ['{{ base_url }}/catalogue/page-1.html'] },
    network: { allow: ['127.0.0.0/8'] },
    parse: 'html',
    extract: {
      items: 'article.product_pod',
      fields: { title: { selector: 'h3 a', attr: 'title', required: true }, url: { selector: 'h3 a', attr: 'href', type: 'url' } },
    },
    follow: { field: 'url', extract: { fields: { upc: 'table tr:nth-child(1) td' } } },
    paginate: { type: 'next-link', selector: 'li.next a' },
    request: { timeoutSeconds: 60, retries: { attempts: 1, baseDelaySeconds: 0.01, maxDelaySeconds: 0.05 } },
    scaling: { pagesPerTask: 3, batchSize: 1 },
    output: 's3://lake/raw/{{ name }}',
    expect: { minRecords: 60 },
  };
}

/** Scenarios run this many at a time, each with its own site, queues, table and bucket (their waits overlap). */
const PARALLEL = 3;

export async function runExactlyOnce(endpoint: string, scenarios: ExactlyOnceScenario[] = SCENARIOS): Promise<ExactlyOnceResult[]> {
  const expected = await withSite(undefined, (site) => undisturbedUrls(endpoint, site));
  const results: ExactlyOnceResult[] = new Array(scenarios.length);
  let next = 0;
  const worker = async () => {
    while (next < scenarios.length) {
      const i = next++;
      const s = scenarios[i]!;
      results[i] = await withSite(s.hangPage, (site, heal) => runScenario(endpoint, site, s, expected, heal));
    }
  };
  await Promise.all(Array.from({ length: PARALLEL }, worker));
  return results;
}

/** A books site of its own; `hangPage` answers only after every function budget here, until healed. */
async function withSite<T>(hangPage: number | undefined, use: (site: RunningSite, heal: () => void) => Promise<T>): Promise<T> {
  let hang = hangPage;
  const site = await startBooksSite({
    detailCount: 60,
    perPage: 5,
    intercept: (req: IncomingMessage, res: ServerResponse) => {
      if (hang === undefined || req.url !== `/catalogue/page-${hang}.html`) return false;
      setTimeout(() => res.writeHead(503).end(), 30_000).unref();
      return true;
    },
  });
  try {
    return await use(site, () => {
      hang = undefined;
    });
  } finally {
    await site.close();
  }
}

async function undisturbedUrls(endpoint: string, site: RunningSite): Promise<Set<string>> {
  const d = await Deployment.create({ endpoint, collectors: [crawl(site.url)] });
  try {
    await d.start('shop', SCHEDULED);
    await d.drain('shop', RUN);
    return new Set((await d.records()).map(identity));
  } finally {
    await d.close();
  }
}

async function runScenario(
  endpoint: string,
  site: RunningSite,
  s: ExactlyOnceScenario,
  expected: Set<string>,
  heal: () => void,
): Promise<ExactlyOnceResult> {
  const d = await Deployment.create({ endpoint, collectors: [crawl(site.url)], ...s.options });
  const hitsBefore = totalHits(site);
  const problems: string[] = [];
  try {
    for (const rule of s.rules ?? []) d.faults.addRule(rule);
    const started = await d.start('shop', SCHEDULED);
    if (started.kind !== 'ok') problems.push(`the start failed: ${JSON.stringify(started)}`);
    for (let i = 0; i < (s.extraStarts ?? 0); i++) await d.start('shop', SCHEDULED);
    let run = await d.drain('shop', RUN);
    let before: ExactlyOnceResult['before'];
    if (s.retry) {
      before = { state: run.state, failedTasks: run.failedTasks, records: (await d.records()).length };
      heal();
      await retryFailed(d);
      run = await d.drain('shop', RUN);
    }
    // A start repeated after the end changes nothing either.
    if (s.extraStarts) await d.start('shop', SCHEDULED);
    const records = await d.records();
    const urls = records.map(identity);
    const unique = new Set(urls);
    const keys = await listKeys(d.aws.s3, d.bucket);
    return {
      name: s.name,
      expected: expected.size,
      records: records.length,
      lost: [...expected].filter((u) => !unique.has(u)).length,
      duplicated: urls.length - unique.size + [...unique].filter((u) => !expected.has(u)).length,
      deliveries: d.deliveries.filter((x) => x.queue !== d.deadLetterQueueUrl).reduce((n, x) => n + x.messages, 0),
      sourceRequests: totalHits(site) - hitsBefore,
      puts: d.faults.count('s3', 'PutObject'),
      state: run.state,
      failedTasks: run.failedTasks,
      manifest: keys.some((k) => k.endsWith(`run=${RUN}/_manifest.json`)),
      ...(before ? { before } : {}),
      problems,
    };
  } finally {
    await d.close();
  }
}

/** What a scenario promised and did not keep (empty when it held): the verdict the test and `npm run reliability` share. */
export function broken(r: ExactlyOnceResult, undisturbed: ExactlyOnceResult | undefined): string[] {
  const out = [...r.problems];
  if (r.lost) out.push(`${r.lost} records lost`);
  if (r.duplicated) out.push(`${r.duplicated} records duplicated`);
  if (r.records !== r.expected) out.push(`${r.records} records, expected ${r.expected}`);
  if (r.state !== 'succeeded') out.push(`the run ended ${r.state}`);
  if (!r.manifest) out.push('no manifest');
  if (r.before && (r.before.state !== 'failed' || r.before.failedTasks !== 1))
    out.push(`before the retry the run was ${r.before.state} with ${r.before.failedTasks} failed tasks, expected failed with 1`);
  // A copy that arrives while the first runs backs off, one that arrives after is settled at once: a duplicate never runs a chain twice.
  if (undisturbed && DUPLICATING.has(r.name) && r.sourceRequests > undisturbed.sourceRequests * 1.3) {
    out.push(`${r.sourceRequests} requests to the source, over 1.3x the ${undisturbed.sourceRequests} of an undisturbed run`);
  }
  return out.map((p) => `${r.name}: ${p}`);
}

const DUPLICATING = new Set(['redelivery after success', 'two concurrent copies with different time left', 'duplicate scheduler start']);

/** What `collect retry` does: open the failed tasks again and send them to the queue. */
async function retryFailed(d: Deployment): Promise<void> {
  const failed = await d.ledger.failedTasks('shop', RUN);
  const reopened: Task[] = await d.ledger.reopen(
    'shop',
    RUN,
    failed.map((f) => f.task.id),
  );
  for (const task of reopened) await d.sendRaw('shop', encodeTaskMessage(task));
}

/** A book's page, without the host (each scenario has a site of its own). */
function identity(record: Record<string, unknown>): string {
  return new URL(String(record.url)).pathname;
}

function totalHits(site: RunningSite): number {
  return [...site.hits.values()].reduce((n, v) => n + v, 0);
}
