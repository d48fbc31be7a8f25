// The incremental mark as a request parameter on Lambda (moto): the state is an
// S3 object, and the second scheduled run sends the mark the first stored, as
// the CLI does with its state file (incremental-param.test.ts), with the same
// requests and records.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Collector } from '../../runtime/language/generated/collector.types.ts';
import { getJson, readAllRecords } from '../aws/s3-read.ts';
import { jsonCollector, runInMemory, tempDir } from '../helpers/collector.ts';
import { drainQueue } from '../helpers/esm-driver.ts';
import { motoClients, startMoto, type AwsTestClients, type Moto } from '../helpers/moto.ts';
import { deploy, lambdaContext, runEnd } from '../lambda/support.ts';
import { initialItems, startPagingSite, type PagingSite } from './paging-site.ts';

let moto: Moto;
let aws: AwsTestClients;
let site: PagingSite;
beforeAll(async () => {
  moto = await startMoto();
  aws = motoClients(moto.endpoint);
  site = await startPagingSite();
});
afterAll(async () => {
  await site?.close();
  await moto?.stop();
});

const collector = (): Collector =>
  jsonCollector(`${site.url}/since`, {
    name: 'since-items',
    extract: {
      items: 'items',
      fields: { id: { path: 'id', type: 'integer', required: true }, updated: { path: 'updated', type: 'date' } },
    },
    paginate: { type: 'page-number', param: 'page', stop: { hasMore: 'has_next' } },
    records: { incremental: { cursorField: 'updated', param: { name: 'updated_since' } } },
    request: { rateLimit: { perSecond: 2000, concurrency: 8 } },
    output: 's3://lake/api/{{ name }}',
  });

const newer = () => [{ id: 26, updated: '2024-02-01T00:00:00.000Z' }, ...initialItems()];

/** What the site saw of `updated_since`, request by request, from `from` on. */
const marksSent = (from: number) =>
  site
    .requestsTo('/since')
    .slice(from)
    .map((r) => r.query.get('updated_since'));

describe('records.incremental.param on Lambda and on the CLI', () => {
  it('the second run sends the mark stored in S3 and writes only the newer item, as the CLI does', async () => {
    // Lambda
    site.items = initialItems();
    const dep = await deploy(aws, [{ collector: collector(), hash: 'h' }]);
    const queueUrl = dep.queues['since-items']!.url;
    const deadLetterQueueUrl = dep.queues['since-items']!.dlqUrl;
    const lambda: { marks: (string | null)[][]; ids: unknown[][] } = { marks: [], ids: [] };
    try {
      for (const [day, items] of [
        ['2024-10-01', initialItems()],
        ['2024-10-02', newer()],
      ] as const) {
        site.items = [...items];
        const from = site.requestsTo('/since').length;
        await dep.handler({ collector: 'since-items', scheduledTime: `${day}T00:00:00Z` }, lambdaContext());
        await drainQueue({ sqs: aws.sqs, queueUrl, deadLetterQueueUrl, handler: dep.handler, batchSize: 3, concurrency: 1 });
        const runId = `${day.replaceAll('-', '')}T000000Z`;
        const prefix = `api/since-items/dt=${day}/run=${runId}/`;
        expect((await runEnd(aws, dep, 'since-items', runId, prefix)).manifest).toMatchObject({ status: 'succeeded' });
        lambda.marks.push(marksSent(from));
        lambda.ids.push((await readAllRecords(aws.s3, dep.bucket, prefix)).map((r) => r.id));
      }
      expect(await getJson(aws.s3, dep.bucket, 'api/since-items/_state/since-items.json')).toMatchObject({
        cursor: '2024-02-01T00:00:00.000Z',
        previous: '2024-01-25T00:00:00.000Z',
      });
    } finally {
      await dep.handler.close();
    }
    expect(lambda.marks).toEqual([[null, null, null], ['2024-01-25T00:00:00.000Z']]);
    expect(lambda.ids[1]).toEqual([26]);

    // The CLI's driver with its state file: the same requests, the same records.
    const outDir = tempDir();
    const cli: { marks: (string | null)[][]; ids: unknown[][] } = { marks: [], ids: [] };
    for (const items of [initialItems(), newer()]) {
      site.items = items;
      const from = site.requestsTo('/since').length;
      const { sink } = await runInMemory(collector(), { outDir });
      cli.marks.push(marksSent(from));
      cli.ids.push(sink.records().map((r) => r.id));
    }
    expect(cli.marks).toEqual(lambda.marks);
    expect(cli.ids[1]).toEqual(lambda.ids[1]);
    expect([...cli.ids[0]!].sort()).toEqual([...lambda.ids[0]!].sort());
  });
});
