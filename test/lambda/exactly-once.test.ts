// The built bundle on moto, driven by the event source mapping emulator: a run
// that SQS and the machine disturb in every way issue #12 names ends with
// exactly the records of an undisturbed run, each once, and ends itself (the
// function writes its manifest).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBooksSite, type RunningSite } from '../../demo/sites/books-site.ts';
import type { Collector } from '../../runtime/language/generated/collector.types.ts';
import { listKeys } from '../aws/s3-read.ts';
import { Deployment } from '../helpers/lambda/deployment.ts';
import { startMoto, type Moto } from '../helpers/moto.ts';

let site: RunningSite;
let moto: Moto;
beforeAll(async () => {
  site = await startBooksSite({ detailCount: 60, perPage: 5 });
  moto = await startMoto();
});
afterAll(async () => {
  await site.close();
  await moto.stop();
});

/** 12 listing pages of 5 books, each with its detail page; 3 listing pages a task: a chain of 4 tasks. */
function crawl(): Collector {
  return {
    name: 'shop',
    variables: { base_url: site.url },
    start: { urls: ['{{ base_url }}/catalogue/page-1.html'] },
    network: { allow: ['127.0.0.0/8'] },
    parse: 'html',
    extract: {
      items: 'article.product_pod',
      fields: { title: { selector: 'h3 a', attr: 'title', required: true }, url: { selector: 'h3 a', attr: 'href', type: 'url' } },
    },
    follow: { field: 'url', extract: { fields: { upc: 'table tr:nth-child(1) td' } } },
    paginate: { type: 'next-link', selector: 'li.next a' },
    request: { retries: { attempts: 1, baseDelaySeconds: 0.01, maxDelaySeconds: 0.05 } },
    scaling: { pagesPerTask: 3, batchSize: 1 },
    output: 's3://lake/raw/{{ name }}',
    expect: { minRecords: 60 },
  };
}

const RUN = '20240101T060000Z';
const SCHEDULED = '2024-01-01T06:00:00Z';

describe('exactly once on AWS', () => {
  it('an undisturbed run: every record once, and the function writes the manifest', async () => {
    const d = await Deployment.create({ endpoint: moto.endpoint, collectors: [crawl()] });
    try {
      expect((await d.start('shop', SCHEDULED)).kind).toBe('ok');
      const run = await d.drain('shop', RUN);
      expect(run).toMatchObject({ state: 'succeeded', open: 0, done: 4, failedTasks: 0 });
      const records = await d.records();
      expect(records).toHaveLength(60);
      expect(new Set(records.map((r) => r.title)).size).toBe(60);
      expect((await listKeys(d.aws.s3, d.bucket)).filter((k) => k.endsWith(`run=${RUN}/_manifest.json`))).toHaveLength(1);
    } finally {
      await d.close();
    }
  });
});
