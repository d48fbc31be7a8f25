// request.auth and robots.txt on Lambda (moto): the client secret comes from
// SSM, each invocation's stack asks for its own token and robots.txt once (the
// stack lives per collector and run per invocation), the page robots.txt
// disallows fails on its own in _errors/, and neither the secret nor a token
// appears in any S3 object, queue message or log line.
import { gunzipSync } from 'node:zlib';
import { PutParameterCommand } from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { secretForms } from '../../runtime/core/secrets.ts';
import type { Collector } from '../../runtime/language/generated/collector.types.ts';
import { getBytes, listKeys, readAllRecords } from '../aws/s3-read.ts';
import { startAuthSite, type AuthSite } from '../helpers/auth-site.ts';
import { drainQueue } from '../helpers/esm-driver.ts';
import { motoClients, startMoto, uniqueName, type AwsTestClients, type Moto } from '../helpers/moto.ts';
import { captureOutput, deploy, lambdaContext } from './support.ts';

const CLIENT_ID = 'client-lambda-3';
const CLIENT_SECRET = 'cs-lambda/Secret+value=';

let moto: Moto;
let aws: AwsTestClients;
let api: AuthSite;
let parameter: string;
beforeAll(async () => {
  moto = await startMoto();
  aws = motoClients(moto.endpoint);
  api = await startAuthSite({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, privateItem: 5 });
  parameter = `/collect/${uniqueName('auth')}/client-secret`;
  await aws.ssm.send(new PutParameterCommand({ Name: parameter, Value: CLIENT_SECRET, Type: 'SecureString' }));
});
afterAll(async () => {
  await api?.close();
  await moto?.stop();
});

const collector = (): Collector => ({
  name: 'protected',
  start: { urls: [`${api.url}/api/items?page=1`] },
  parse: 'json',
  extract: {
    items: 'items',
    fields: {
      id: { path: 'id', type: 'integer', required: true },
      seen_as: 'seen_as',
      detail: { path: 'detail', type: 'url' },
    },
  },
  paginate: { type: 'next-link', path: 'next' },
  follow: { field: 'detail', parse: 'json', extract: { fields: { price: { path: 'price', type: 'number', required: true } } } },
  request: {
    auth: { oauth2: { tokenUrl: `${api.url}/oauth/token`, clientId: '${env:API_CLIENT_ID}', clientSecret: `\${ssm:${parameter}}` } },
    retries: { attempts: 0 },
    rateLimit: { perSecond: 2000, concurrency: 8 },
  },
  // One page a task: the second listing page runs in another invocation, with its own stack.
  scaling: { pagesPerTask: 1, batchSize: 1 },
  output: 's3://lake/auth/{{ name }}',
});

describe('oauth2 and robots.txt on Lambda', () => {
  it('collects with a token per invocation, fails the disallowed page, and writes no secret', async () => {
    const dep = await deploy(aws, [{ collector: collector(), hash: 'h' }], {
      env: { API_CLIENT_ID: CLIENT_ID, POWERTOOLS_LOG_LEVEL: 'DEBUG' },
    });
    const output = captureOutput();
    let received: string[] = [];
    let invocations = 0;
    try {
      await dep.handler({ collector: 'protected', scheduledTime: '2024-05-06T07:00:00Z' }, lambdaContext());
      const report = await drainQueue({
        sqs: aws.sqs,
        queueUrl: dep.queues.protected!.url,
        deadLetterQueueUrl: dep.queues.protected!.dlqUrl,
        handler: dep.handler,
        batchSize: 1,
        concurrency: 1,
      });
      received = report.received;
      invocations = report.invocations.length;
    } finally {
      output.restore();
      await dep.handler.close();
    }
    const prefix = 'auth/protected/dt=2024-05-06/run=20240506T070000Z/';
    const records = await readAllRecords(aws.s3, dep.bucket, prefix);
    expect(records.map((r) => r.id).sort()).toEqual([1, 2, 3, 4, 6]);
    expect(records.every((r) => r.seen_as === 'Bearer [REDACTED]')).toBe(true);
    expect(api.site.hits('/api/private/5')).toBe(0);

    // Each stack that fetched asked for one token and one robots.txt; a later invocation, its own.
    expect(received.length).toBeGreaterThanOrEqual(2);
    const tokenRequests = api.site.hits('/oauth/token');
    expect(tokenRequests).toBeGreaterThanOrEqual(2);
    expect(tokenRequests).toBeLessThanOrEqual(invocations + 1);
    expect(api.site.hits('/robots.txt')).toBe(tokenRequests);

    const keys = await listKeys(aws.s3, dep.bucket, prefix);
    const objects = await Promise.all(
      keys.map(async (k) => {
        const data = await getBytes(aws.s3, dep.bucket, k);
        return k.endsWith('.gz') ? gunzipSync(data).toString('utf8') : data.toString('utf8');
      }),
    );
    const errors = objects.filter((_, i) => keys[i]!.includes('/_errors/')).join('\n');
    expect(errors).toContain('RobotsDisallowedError');
    expect(errors).toContain('Disallow: /api/private/');
    const everything = [...objects, ...received, output.text()].join('\n');
    expect(api.tokens.length).toBe(tokenRequests);
    for (const form of [CLIENT_SECRET, ...api.tokens].flatMap(secretForms)) expect(everything).not.toContain(form);
  });
});
