import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { S3Sink } from '../../runtime/adapters/aws/s3-sink.ts';
import { decodePartMeta, encodePartMeta, STATS_KEY } from '../../runtime/adapters/aws/part-metadata.ts';
import type { RunLocation } from '../../runtime/core/engine/ports.ts';
import { emptyStats, type TaskStats } from '../../runtime/core/engine/stats.ts';
import { UnsafeOutputError } from '../../runtime/core/output/layout.ts';
import { createBucket, motoClients, startMoto, type AwsTestClients, type Moto } from '../helpers/moto.ts';
import { countPuts, getJson, listKeys, readPart } from './s3-read.ts';

let moto: Moto;
let aws: AwsTestClients;
beforeAll(async () => {
  moto = await startMoto();
  aws = motoClients(moto.endpoint);
});
afterAll(() => moto?.stop());

const stats = (over: Partial<TaskStats> = {}): TaskStats => ({
  ...emptyStats(),
  pages: 3,
  records: 2,
  bytes: 1234,
  retries: 1,
  durationMs: 250,
  filled: { title: 2, price: 1 },
  ...over,
});

describe('S3Sink', () => {
  it('writes a task as one gzipped JSON Lines object with its stats in the metadata', async () => {
    const bucket = await createBucket(aws.s3);
    const puts = countPuts(aws.s3);
    const run: RunLocation = { collector: 'books', runId: '20240301T060000Z', output: `s3://${bucket}/raw/books` };
    const part = new S3Sink(aws.s3, { specHash: 'ab'.repeat(32) }).openPart(run, 'task1');
    part.write({ title: 'A', price: 1.5 });
    part.write({ title: 'Bé', price: null });
    const before = Date.now();
    const key = await part.commit(stats());
    const after = Date.now();
    expect(key).toBe('raw/books/dt=2024-03-01/run=20240301T060000Z/part-task1.jsonl.gz');
    expect(puts.puts).toBe(1);
    expect(await readPart(aws.s3, bucket, key)).toEqual([
      { title: 'A', price: 1.5 },
      { title: 'Bé', price: null },
    ]);
    const head = await aws.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    const meta = decodePartMeta(head.Metadata);
    expect(meta?.stats).toEqual(stats());
    expect(meta?.specHash).toBe('ab'.repeat(8));
    expect(meta?.truncated).toBe(false);
    // The task started durationMs (250) before its commit: stamped between the clock readings either side of the call.
    expect(meta!.startedAt).toBeGreaterThanOrEqual(before - 250);
    expect(meta!.startedAt).toBeLessThanOrEqual(after - 250);
  });

  it('makes nothing visible for an aborted part, and a second commit of the same task overwrites the first', async () => {
    const bucket = await createBucket(aws.s3);
    const run: RunLocation = { collector: 'books', runId: '20240301T060000Z', output: `s3://${bucket}/raw` };
    const sink = new S3Sink(aws.s3);
    const aborted = sink.openPart(run, 't');
    aborted.write({ n: 1 });
    await aborted.abort();
    expect(await listKeys(aws.s3, bucket)).toEqual([]);

    for (const n of [1, 2]) {
      const part = sink.openPart(run, 't');
      part.write({ n });
      await part.commit(stats({ records: 1 }));
    }
    const keys = await listKeys(aws.s3, bucket);
    expect(keys).toEqual(['raw/dt=2024-03-01/run=20240301T060000Z/part-t.jsonl.gz']);
    expect(await readPart(aws.s3, bucket, keys[0]!)).toEqual([{ n: 2 }]);
  });

  it('writes run files under the run prefix', async () => {
    const bucket = await createBucket(aws.s3);
    const run: RunLocation = { collector: 'books', runId: '20240301T060000Z', output: `s3://${bucket}/raw/` };
    const key = await new S3Sink(aws.s3).putRunFile(run, '_errors/t.json', '{"ok":true}');
    expect(key).toBe('raw/dt=2024-03-01/run=20240301T060000Z/_errors/t.json');
    expect(await getJson(aws.s3, bucket, key)).toEqual({ ok: true });
  });

  it('refuses keys with ".." segments or control characters before sending anything (a spec the validator never saw)', async () => {
    const bucket = await createBucket(aws.s3);
    const puts = countPuts(aws.s3);
    const sink = new S3Sink(aws.s3);
    for (const output of [
      `s3://${bucket}/raw/../../escaped`,
      `s3://${bucket}/raw/./x`,
      `s3://${bucket}/raw/a\u0000b`,
      `s3://${bucket}/raw/a\nb`,
      `s3://${bucket}/raw\\..\\x`,
    ]) {
      const run: RunLocation = { collector: 'books', runId: '20240301T060000Z', output };
      expect(() => sink.openPart(run, 'task1')).toThrow(UnsafeOutputError);
      await expect(sink.putRunFile(run, '_manifest.json', '{}')).rejects.toThrow(/^refused to write s3:\/\//);
    }
    const fine: RunLocation = { collector: 'books', runId: '20240301T060000Z', output: `s3://${bucket}/raw` };
    await expect(sink.putRunFile(fine, '../../../escaped.json', '{}')).rejects.toThrow(/has a "\.\." segment/);
    expect(puts.puts).toBe(0);
    expect(await listKeys(aws.s3, bucket)).toEqual([]);
  });
});

describe('part metadata', () => {
  it('stays under S3 2 KB limit by dropping per-field counts for very wide records', () => {
    const filled = Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`field_number_${i}`, i]));
    const encoded = encodePartMeta({ stats: stats({ filled }), startedAt: 1, specHash: 'x' });
    expect(encoded[STATS_KEY]!.length).toBeLessThan(2000);
    const decoded = decodePartMeta(encoded)!;
    expect(decoded.truncated).toBe(true);
    expect(decoded.stats.pages).toBe(3);
    expect(decoded.stats.filled).toEqual({});
  });

  it('keeps metadata ASCII (it travels as HTTP headers) and reads non-ASCII field names back', () => {
    const encoded = encodePartMeta({ stats: stats({ filled: { 'prix_€': 2 }, typeErrors: { größe: 1 } }), startedAt: 5, specHash: 'h' });
    expect(encoded[STATS_KEY]).toMatch(/^[\x20-\x7e]+$/);
    const decoded = decodePartMeta(encoded)!;
    expect(decoded.stats.filled).toEqual({ 'prix_€': 2 });
    expect(decoded.stats.typeErrors).toEqual({ größe: 1 });
    expect(decodePartMeta({})).toBeUndefined();
  });
});
