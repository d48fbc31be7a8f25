// An XML API on Lambda (moto): pages taken as XML by their Content-Type, items and fields read
// with XPath in a default namespace (attributes, CDATA, count()), the next link read from the XML
// with CSS; the records in S3, each once, and the run ended.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSite, type RunningSite } from '../../demo/sites/books-site.ts';
import type { Collector } from '../../runtime/language/generated/collector.types.ts';
import { readAllRecords } from '../aws/s3-read.ts';
import { drainQueue, queueDepth } from '../helpers/esm-driver.ts';
import { motoClients, startMoto, type AwsTestClients, type Moto } from '../helpers/moto.ts';
import { deploy, lambdaContext, runEnd } from './support.ts';

const PAGES = 3;
const PER_PAGE = 4;

/** `/orders?page=N`: an Atom-like XML document with a `link rel="next"` until the last page. */
function orders(req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://x');
  if (url.pathname !== '/orders') {
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not found');
    return;
  }
  const page = Number(url.searchParams.get('page') ?? 1);
  const entries = Array.from({ length: PER_PAGE }, (_, i) => (page - 1) * PER_PAGE + i + 1)
    .map(
      (n) => `<order id="o-${n}"><customer>Customer ${n}</customer><total currency="EUR">${n}.50</total>
        <line sku="A"/><line sku="B"/>${n % 2 ? '<note><![CDATA[gift & wrap]]></note>' : ''}</order>`,
    )
    .join('');
  const next = page < PAGES ? `<link rel="next" href="/orders?page=${page + 1}"/>` : '';
  res.writeHead(200, { 'content-type': 'application/xml; charset=utf-8' });
  res.end(`<?xml version="1.0" encoding="UTF-8"?><orders xmlns="urn:example:orders">${next}${entries}</orders>`);
}

let moto: Moto;
let aws: AwsTestClients;
let site: RunningSite;
beforeAll(async () => {
  moto = await startMoto();
  aws = motoClients(moto.endpoint);
  site = await startSite(orders);
});
afterAll(async () => {
  await site?.close();
  await moto?.stop();
});

const collector = (): Collector => ({
  name: 'orders-xml',
  start: { urls: [`${site.url}/orders?page=1`] },
  extract: {
    items: '//order',
    fields: {
      id: { xpath: '@id', required: true },
      customer: 'customer',
      total: { xpath: 'total', type: 'number' },
      currency: { xpath: 'string(total/@currency)' },
      lines: { xpath: 'count(line)' },
      note: 'note',
    },
  },
  paginate: { type: 'next-link', selector: 'link[rel=next]', attribute: 'href' },
  request: { rateLimit: { perSecond: 2000, concurrency: 8 } },
  scaling: { pagesPerTask: 1, batchSize: 1 },
  output: 's3://ignored-bucket/xml/{{ name }}',
});

describe('an XML API on Lambda', () => {
  it('reads every page of XPath items into S3 and ends the run', async () => {
    const dep = await deploy(aws, [{ collector: collector(), hash: 'h' }]);
    try {
      await dep.handler({ collector: 'orders-xml', scheduledTime: '2024-06-01T00:00:00Z' }, lambdaContext());
      await drainQueue({
        sqs: aws.sqs,
        queueUrl: dep.queues['orders-xml']!.url,
        handler: dep.handler,
        batchSize: 1,
        concurrency: 1,
        deadLetterQueueUrl: dep.queues['orders-xml']!.dlqUrl,
      });
    } finally {
      await dep.handler.close();
    }
    const prefix = 'xml/orders-xml/dt=2024-06-01/run=20240601T000000Z/';
    const records = await readAllRecords(aws.s3, dep.bucket, prefix);
    expect(records).toHaveLength(PAGES * PER_PAGE);
    const byId = new Map(records.map((r) => [r.id, r]));
    expect(byId.size).toBe(PAGES * PER_PAGE);
    expect(byId.get('o-1')).toEqual({ id: 'o-1', customer: 'Customer 1', total: 1.5, currency: 'EUR', lines: 2, note: 'gift & wrap' });
    expect(byId.get('o-12')).toEqual({ id: 'o-12', customer: 'Customer 12', total: 12.5, currency: 'EUR', lines: 2, note: null });
    expect(await queueDepth(aws.sqs, dep.queues['orders-xml']!.dlqUrl)).toEqual({ visible: 0, inFlight: 0 });
    const { run, manifest } = await runEnd(aws, dep, 'orders-xml', '20240601T000000Z', prefix);
    expect(run).toMatchObject({ state: 'succeeded', failedTasks: 0 });
    expect(manifest).toMatchObject({ status: 'succeeded', pages: PAGES, records: PAGES * PER_PAGE });
  });
});
