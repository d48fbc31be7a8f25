// Width on SQS: pages known up front fan out as separate tasks (one hop deeper
// than the page that found them, however many), run by concurrent invocations;
// incremental state lives in S3 and the next run skips what it has seen. Each
// run ends itself once its last task is done.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startJsonApi } from '../helpers/json-api.ts';
import type { RunningSite } from '../../demo/sites/books-site.ts';
import type { TaskMessage } from '../../runtime/core/engine/task-message.ts';
import type { Collector } from '../../runtime/language/generated/collector.types.ts';
import { drainQueue } from '../helpers/esm-driver.ts';
import { motoClients, startMoto, type AwsTestClients, type Moto } from '../helpers/moto.ts';
import { getJson, listKeys, readAllRecords } from '../aws/s3-read.ts';
import { deploy, lambdaContext, runEnd } from './support.ts';

let moto: Moto;
let aws: AwsTestClients;
let api: RunningSite;
beforeAll(async () => {
  moto = await startMoto();
  aws = motoClients(moto.endpoint);
  api = await startJsonApi({ total: 95, pageSize: 10 });
});
afterAll(async () => {
  await api?.close();
  await moto?.stop();
});

const items = (): Collector => ({
  name: 'items',
  start: { urls: [`${api.url}/pages`] },
  parse: 'json',
  extract: { items: 'items', fields: { id: { path: 'id', type: 'integer', required: true }, name: 'name' } },
  paginate: { type: 'page-number', param: 'page', totalPagesPath: 'total_pages' },
  records: { incremental: { cursorField: 'id' } },
  request: { rateLimit: { perSecond: 2000, concurrency: 8 } },
  scaling: { batchSize: 3, maxConcurrency: 3 },
  output: 's3://lake/api/{{ name }}',
});

describe('fan-out over SQS', () => {
  it('runs the pages of a known range as parallel tasks, each record once, and keeps the cursor in S3 for the next run', async () => {
    const dep = await deploy(aws, [{ collector: items(), hash: 'h' }]);
    const queueUrl = dep.queues.items!.url;
    const deadLetterQueueUrl = dep.queues.items!.dlqUrl;
    try {
      await dep.handler({ collector: 'items', scheduledTime: '2024-10-01T00:00:00Z' }, lambdaContext());
      const first = await drainQueue({ sqs: aws.sqs, queueUrl, deadLetterQueueUrl, handler: dep.handler, batchSize: 3, concurrency: 3 });
      const tasks = first.received.map((b) => (JSON.parse(b) as TaskMessage).task);
      expect(tasks).toHaveLength(10);
      expect(tasks.filter((t) => t.hop === 2 && t.terminal)).toHaveLength(9); // the fan-out: one hop deeper, whatever its width
      expect(first.invocations.some((i) => i.messageIds.length > 1)).toBe(true); // batches, not one task at a time

      const run1 = 'api/items/dt=2024-10-01/run=20241001T000000Z/';
      const records = await readAllRecords(aws.s3, dep.bucket, run1);
      expect(records.map((r) => r.id).sort((a, b) => Number(a) - Number(b))).toEqual(Array.from({ length: 95 }, (_, i) => i + 1));
      expect((await listKeys(aws.s3, dep.bucket, run1)).filter((k) => k.endsWith('.jsonl.gz'))).toHaveLength(10);
      expect(await getJson(aws.s3, dep.bucket, 'api/items/_state/items.json')).toMatchObject({
        cursor: '95',
        runId: '20241001T000000Z',
        previous: null,
      });
      const end1 = await runEnd(aws, dep, 'items', '20241001T000000Z', run1);
      expect(end1.run).toMatchObject({ state: 'succeeded', open: 0, done: 10, failedTasks: 0 });
      expect(end1.manifest).toMatchObject({ status: 'succeeded', tasks: 10, records: 95 });

      // The next day nothing is new: the run writes no record.
      await dep.handler({ collector: 'items', scheduledTime: '2024-10-02T00:00:00Z' }, lambdaContext());
      await drainQueue({ sqs: aws.sqs, queueUrl, deadLetterQueueUrl, handler: dep.handler, batchSize: 3, concurrency: 3 });
      expect(await readAllRecords(aws.s3, dep.bucket, 'api/items/dt=2024-10-02/')).toEqual([]);
      const end2 = await runEnd(aws, dep, 'items', '20241002T000000Z', 'api/items/dt=2024-10-02/run=20241002T000000Z/');
      expect(end2.run).toMatchObject({ state: 'succeeded', open: 0 });
      expect(end2.manifest).toMatchObject({ status: 'succeeded', records: 0 });
    } finally {
      await dep.handler.close();
    }
  });
});
