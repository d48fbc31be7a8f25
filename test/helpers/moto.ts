// Real AWS APIs on loopback: moto_server gives S3, SQS and SSM, and the AWS SDK
// talks to it unchanged. `.ci/run` starts one and exports MOTO_ENDPOINT; without
// it a test file starts its own on a free port. A missing moto_server fails the
// test run (in CI and on a laptop alike): these tests are never skipped.
//
// When the server is shared (MOTO_ENDPOINT), other test files use it at the same
// time, so tests never reset it: each test names its buckets and queues uniquely
// (`uniqueName`). `reset()` only resets a server this process started.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { SSMClient } from '@aws-sdk/client-ssm';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { LEDGER_TABLE } from '../../runtime/adapters/aws/dynamo-ledger.ts';

export const MOTO_REGION = 'us-east-1';
const CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };

export interface Moto {
  endpoint: string;
  /** True when this process started the server (and stops it). */
  owned: boolean;
  reset(): Promise<void>;
  stop(): Promise<void>;
}

class MotoUnavailableError extends Error {
  override readonly name = 'MotoUnavailableError';
}

export interface AwsTestClients {
  s3: S3Client;
  sqs: SQSClient;
  ssm: SSMClient;
  dynamodb: DynamoDBClient;
}

export function motoClients(endpoint: string): AwsTestClients {
  const config = { region: MOTO_REGION, endpoint, credentials: CREDENTIALS, maxAttempts: 2 };
  return {
    s3: new S3Client({ ...config, forcePathStyle: true }),
    sqs: new SQSClient(config),
    ssm: new SSMClient(config),
    dynamodb: new DynamoDBClient(config),
  };
}

/** A lower-case name no other test (or test file) uses. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

export async function startMoto(): Promise<Moto> {
  if (process.env.COLLECT_TEST_PROJECT === 'unit') {
    throw new Error('a unit test may not use moto: list its file under INTEGRATION in vitest.config.ts');
  }
  const shared = process.env.MOTO_ENDPOINT;
  if (shared) {
    // Upper bounds on waiting for moto (a Python server that a busy machine slows down): generous, since they only make a slow start slower.
    if (!(await ready(shared, 30_000))) throw new MotoUnavailableError(`MOTO_ENDPOINT=${shared} does not answer within 30 s`);
    return { endpoint: shared, owned: false, reset: async () => {}, stop: async () => {} };
  }
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  let child: ChildProcess;
  try {
    child = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (err) {
    throw new MotoUnavailableError(`cannot start moto_server: ${(err as Error).message}`);
  }
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-2000);
  });
  const spawnError = new Promise<Error>((resolve) => child.once('error', resolve));
  const up = await Promise.race([ready(endpoint, 60_000), spawnError]);
  if (up !== true) {
    child.kill('SIGKILL');
    const why = up instanceof Error ? up.message : `no answer within 60 s; stderr: ${stderr}`;
    throw new MotoUnavailableError(
      `moto_server did not start (install Python moto 5 with its server extra: pip install "moto[server]"): ${why}`,
    );
  }
  return {
    endpoint,
    owned: true,
    reset: async () => {
      await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
    },
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

async function ready(endpoint: string, withinMs: number): Promise<boolean> {
  const until = Date.now() + withinMs;
  while (Date.now() < until) {
    try {
      const res = await fetch(`${endpoint}/moto-api/`, { signal: AbortSignal.timeout(5_000) });
      await res.arrayBuffer();
      if (res.ok) return true;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** A bucket with a unique name; returns the name. */
export async function createBucket(s3: S3Client, prefix = 'collect-test'): Promise<string> {
  const bucket = uniqueName(prefix);
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  return bucket;
}

/** The run ledger's table, in the shape the Terraform gives it (LEDGER_TABLE); `name` exactly, or a unique one. */
export async function createLedgerTable(dynamodb: DynamoDBClient, options: { name?: string } = {}): Promise<string> {
  const name = options.name ?? uniqueName('collect-ledger');
  const t = LEDGER_TABLE;
  const keys = [t.hashKey, t.rangeKey, ...t.indexes.flatMap((i) => [i.hashKey, i.rangeKey])];
  await dynamodb.send(
    new CreateTableCommand({
      TableName: name,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [...new Set(keys)].map((k) => ({ AttributeName: k, AttributeType: 'S' })),
      KeySchema: [
        { AttributeName: t.hashKey, KeyType: 'HASH' },
        { AttributeName: t.rangeKey, KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: t.indexes.map((i) => ({
        IndexName: i.name,
        KeySchema: [
          { AttributeName: i.hashKey, KeyType: 'HASH' },
          { AttributeName: i.rangeKey, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      })),
    }),
  );
  return name;
}
