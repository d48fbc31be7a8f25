// Discovery crawls and sitemaps on Lambda (moto): the same records as the
// local run; two listing pages that both link the same detail page hand it on
// once between them (the run ledger registers, counts and sends it once, from
// the task that found it first) and it runs once; the scheduled start reads
// the sitemaps through the collector's fetch stack; the next day's run fetches
// only the page whose lastmod changed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Task } from '../../runtime/core/engine/task.ts';
import type { TaskMessage } from '../../runtime/core/engine/task-message.ts';
import type { Collector } from '../../runtime/language/generated/collector.types.ts';
import { readAllRecords } from '../aws/s3-read.ts';
import { runInMemory } from '../helpers/collector.ts';
import { drainQueue } from '../helpers/esm-driver.ts';
import { motoClients, startMoto, type AwsTestClients, type Moto } from '../helpers/moto.ts';
import { type SectionSite, startSectionSite } from '../helpers/section-site.ts';
import { deploy, lambdaContext, runEnd } from '../lambda/support.ts';
import { crawler } from './collectors.ts';

let moto: Moto;
let aws: AwsTestClients;
let site: SectionSite;
beforeAll(async () => {
  moto = await startMoto();
  aws = motoClients(moto.endpoint);
  site = await startSectionSite();
});
afterAll(async () => {
  await site?.close();
  await moto?.stop();
});

const sortById = (records: Record<string, unknown>[]) => [...records].sort((a, b) => Number(a.id) - Number(b.id));

describe('discovery crawl on Lambda', () => {
  it('writes the records of a local run, and a page two listings link to is registered, sent and run once', async () => {
    const collector = crawler(site.url);
    const local = await runInMemory(collector);
    site.resetCounts();

    const dep = await deploy(aws, [{ collector, hash: 'h' }]);
    try {
      await dep.handler({ collector: 'sections', scheduledTime: '2024-05-01T00:00:00Z' }, lambdaContext());
      const report = await drainQueue({
        sqs: aws.sqs,
        queueUrl: dep.queues.sections!.url,
        deadLetterQueueUrl: dep.queues.sections!.dlqUrl,
        handler: dep.handler,
        batchSize: 2,
        concurrency: 2,
      });
      const tasks = report.received.map((b) => (JSON.parse(b) as TaskMessage).task);
      const byUrl = (path: string) => tasks.filter((t: Task) => t.url === `${site.url}${path}`);
      // Items 4 and 5 are listed by both sections: each reached the queue once, as a page of kind item.
      expect(byUrl('/item/4')).toHaveLength(1);
      expect(byUrl('/item/5')).toHaveLength(1);
      expect(byUrl('/item/4')[0]).toMatchObject({ kind: 'item', depth: 2 });
      expect(byUrl('/section/b')[0]).toMatchObject({ kind: 'section', depth: 1 });
      expect(new Set(tasks.map((t) => t.id)).size).toBe(tasks.length); // no task sent twice
      expect(report.deadLetters.flatMap((i) => i.messageIds)).toEqual([]);

      const prefix = 'crawl/sections/dt=2024-05-01/run=20240501T000000Z/';
      const records = sortById(await readAllRecords(aws.s3, dep.bucket, prefix));
      expect(records).toEqual(sortById(local.sink.records()));
      for (let n = 1; n <= 9; n++) expect(site.count(`/item/${n}`), `item ${n}`).toBe(1);
      expect(site.count('/item/10')).toBe(0);

      // home + 2 sections + 9 items: the ledger counted each task once, and the run ended itself.
      const end = await runEnd(aws, dep, 'sections', '20240501T000000Z', prefix);
      expect(end.run).toMatchObject({ state: 'succeeded', open: 0, done: 12, failedTasks: 0 });
      expect(end.manifest).toMatchObject({ status: 'succeeded', tasks: 12, records: 9, pages: local.manifest.pages });
    } finally {
      await dep.handler.close();
    }
  });

  it('reads sitemaps at the scheduled start, and the next run fetches only what changed', async () => {
    const collector: Collector = {
      name: 'items',
      start: { sitemaps: [{ url: `${site.url}/sitemap_index.xml`, match: '/item/', as: 'item' }] },
      pages: {
        item: {
          extract: { fields: { id: { selector: 'h1', attr: 'data-id', type: 'integer' }, updated: 'time.updated' } },
        },
      },
      records: { incremental: { cursorField: 'updated' } },
      request: { rateLimit: { perSecond: 1000, concurrency: 4 } },
      output: 's3://lake/items/{{ name }}',
    };
    site.resetCounts();
    const dep = await deploy(aws, [{ collector, hash: 'h' }]);
    const drain = () =>
      drainQueue({
        sqs: aws.sqs,
        queueUrl: dep.queues.items!.url,
        deadLetterQueueUrl: dep.queues.items!.dlqUrl,
        handler: dep.handler,
        batchSize: 3,
      });
    try {
      const started = await dep.handler({ collector: 'items', scheduledTime: '2024-06-01T00:00:00Z' }, lambdaContext());
      expect(started).toMatchObject({ seeds: 9 });
      await drain();
      const first = await readAllRecords(aws.s3, dep.bucket, 'items/items/dt=2024-06-01/');
      expect(first.map((r) => r.id).sort((a, b) => Number(a) - Number(b))).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
      expect(site.count('/sitemaps/items.xml.gz')).toBe(1);

      site.resetCounts();
      site.touch(7, '2024-03-01');
      const next = await dep.handler({ collector: 'items', scheduledTime: '2024-06-02T00:00:00Z' }, lambdaContext());
      expect(next).toMatchObject({ seeds: 1 });
      await drain();
      expect(await readAllRecords(aws.s3, dep.bucket, 'items/items/dt=2024-06-02/')).toEqual([{ id: 7, updated: '2024-03-01' }]);
      expect([...site.hits.keys()].filter((k) => k.startsWith('/item/'))).toEqual(['/item/7']);
    } finally {
      await dep.handler.close();
    }
  });
});
