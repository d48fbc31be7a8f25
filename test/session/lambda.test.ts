// The login site collected through the Lambda handler on moto: each invocation
// logs in at most once for the run it works on, however many tasks its batch
// holds, every record arrives once, and neither the token nor the password
// reaches S3 or the function's log.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TaskMessage } from '../../runtime/core/engine/task-message.ts';
import { getJson, listKeys, readAllRecords } from '../aws/s3-read.ts';
import { drainQueue } from '../helpers/esm-driver.ts';
import { startLoginSite, type LoginSite } from '../helpers/login-site.ts';
import { motoClients, startMoto, type AwsTestClients, type Moto } from '../helpers/moto.ts';
import { captureOutput, deploy, lambdaContext, runEnd } from '../lambda/support.ts';
import { apiCollector, credentials } from './collectors.ts';

let moto: Moto;
let aws: AwsTestClients;
let site: LoginSite;
beforeAll(async () => {
  moto = await startMoto();
  aws = motoClients(moto.endpoint);
  site = await startLoginSite({ items: 23, perPage: 5 });
});
afterAll(async () => {
  await site?.close();
  await moto?.stop();
});

describe('a login on Lambda', () => {
  it('logs in once per invocation, shares the session among the tasks of a batch, and keeps every secret out', async () => {
    const collector = apiCollector(site, {
      paginate: { type: 'page-number', param: 'page', totalPagesPath: 'total_pages' },
      scaling: { batchSize: 3, maxConcurrency: 2 },
      output: 's3://lake/members/{{ name }}',
    });
    const dep = await deploy(aws, [{ collector, hash: 'h' }], { env: credentials(site) });
    const output = captureOutput();
    let invocations: number;
    let tasks: number;
    try {
      await dep.handler({ collector: 'members-api', scheduledTime: '2024-05-06T07:00:00Z' }, lambdaContext());
      const report = await drainQueue({
        sqs: aws.sqs,
        queueUrl: dep.queues['members-api']!.url,
        deadLetterQueueUrl: dep.queues['members-api']!.dlqUrl,
        handler: dep.handler,
        batchSize: 3,
        concurrency: 2,
      });
      invocations = report.invocations.length;
      tasks = report.received.map((b) => (JSON.parse(b) as TaskMessage).task).length;
    } finally {
      output.restore();
      await dep.handler.close();
    }
    expect(tasks).toBe(5); // the first page, and the 4 it fans out to
    // One login for each invocation that fetched pages, none for the one that started the run.
    expect(site.logins()).toBe(invocations);
    expect(invocations).toBeLessThan(tasks);

    const prefix = 'members/members-api/dt=2024-05-06/run=20240506T070000Z/';
    const records = await readAllRecords(aws.s3, dep.bucket, prefix);
    expect(records.map((r) => r.id).sort((a, b) => Number(a) - Number(b))).toEqual(Array.from({ length: 23 }, (_, i) => i + 1));
    const { run, manifest } = await runEnd(aws, dep, 'members-api', '20240506T070000Z', prefix);
    expect(run).toMatchObject({ state: 'succeeded', failedTasks: 0 });
    expect(manifest).toMatchObject({ status: 'succeeded', records: 23 });

    const stored = JSON.stringify([
      records,
      manifest,
      ...(await Promise.all(
        (await listKeys(aws.s3, dep.bucket, prefix)).filter((k) => k.endsWith('.json')).map((k) => getJson(aws.s3, dep.bucket, k)),
      )),
    ]);
    const secrets = [...site.issuedSecrets(), site.password];
    expect(secrets).toHaveLength(invocations + 1);
    for (const s of secrets) {
      expect(stored, 'S3 holds a secret').not.toContain(s);
      expect(output.text(), 'the log holds a secret').not.toContain(s);
    }
  });
});
