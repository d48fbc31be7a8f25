// Reading back what the runtime wrote to (moto) S3, and counting its PUTs.
import { gunzipSync } from 'node:zlib';
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';

export async function listKeys(s3: S3Client, bucket: string, prefix = ''): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const res = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
    for (const o of res.Contents ?? []) keys.push(o.Key!);
    token = res.NextContinuationToken;
  } while (token);
  return keys.sort();
}

export async function getBytes(s3: S3Client, bucket: string, key: string): Promise<Buffer> {
  const res = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return Buffer.from(await res.Body!.transformToByteArray());
}

export async function getJson<T>(s3: S3Client, bucket: string, key: string): Promise<T> {
  return JSON.parse((await getBytes(s3, bucket, key)).toString('utf8')) as T;
}

/** Records of one gzipped JSON Lines part. */
export async function readPart(s3: S3Client, bucket: string, key: string): Promise<Record<string, unknown>[]> {
  const text = gunzipSync(await getBytes(s3, bucket, key)).toString('utf8');
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** Every record of every part under a prefix. */
export async function readAllRecords(s3: S3Client, bucket: string, prefix = ''): Promise<Record<string, unknown>[]> {
  const parts = (await listKeys(s3, bucket, prefix)).filter((k) => /\/part-[^/]+\.jsonl\.gz$/.test(k));
  const all = await Promise.all(parts.map((k) => readPart(s3, bucket, k)));
  return all.flat();
}

/** Counts PutObject calls made through this client (an SDK middleware, so every path is seen). */
export function countPuts(s3: S3Client): { readonly puts: number; keys: string[] } {
  const counter = { puts: 0, keys: [] as string[] };
  s3.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === 'PutObjectCommand') {
        counter.puts++;
        counter.keys.push(String((args.input as { Key?: string }).Key));
      }
      return next(args);
    },
    { step: 'initialize', name: `countPuts${Math.random()}` },
  );
  return counter;
}
