// The Sink on S3: a task's records are gzipped in memory as they come and PUT
// as one object when the task commits, under a key fixed by run and task, so a
// redelivered task overwrites its own part. The task's stats ride along as
// object metadata. One PUT per task; nothing is visible before the commit.
// A key that could leave its place (a ".." segment, a control character:
// core/output/layout.ts) is refused before anything is sent.
import { createGzip } from 'node:zlib';
import { HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { DataRecord } from '../../core/extract/types.ts';
import type { PartWriter, RunLocation, Sink } from '../../core/engine/ports.ts';
import type { TaskStats } from '../../core/engine/stats.ts';
import { assertSafeKey, partKey, runBucket, runPrefix } from '../../core/output/layout.ts';
import { LineBatch } from '../line-batch.ts';
import { encodePartMeta } from './part-metadata.ts';

export interface S3SinkOptions {
  /** Spec hash stored with every part. */
  specHash?: string;
}

export class S3Sink implements Sink {
  constructor(
    private readonly s3: S3Client,
    private readonly options: S3SinkOptions = {},
  ) {}

  openPart(run: RunLocation, taskId: string): PartWriter {
    const bucket = runBucket(run);
    const key = partKey(run, taskId);
    assertSafeKey(bucket, key);
    const gzip = createGzip({ level: 6 });
    const chunks: Buffer[] = [];
    gzip.on('data', (chunk: Buffer) => chunks.push(chunk));
    const ended = new Promise<void>((resolve, reject) => {
      gzip.once('end', resolve);
      gzip.once('error', reject);
    });
    ended.catch(() => undefined);
    const lines = new LineBatch((chunk) => gzip.write(chunk));
    let open = true;
    return {
      write(record: DataRecord) {
        lines.add(JSON.stringify(record));
      },
      commit: async (stats: TaskStats) => {
        if (!open) throw new Error(`part ${key} was already committed or aborted`);
        open = false;
        lines.drain();
        gzip.end();
        await ended;
        await this.s3.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: key,
            Body: Buffer.concat(chunks),
            ContentType: 'application/gzip',
            Metadata: encodePartMeta({ stats, startedAt: Date.now() - stats.durationMs, specHash: this.options.specHash ?? '' }),
          }),
        );
        return key;
      },
      async abort() {
        if (!open) return;
        open = false;
        lines.clear();
        gzip.destroy();
        chunks.length = 0;
      },
    };
  }

  async hasPart(run: RunLocation, taskId: string): Promise<boolean> {
    const bucket = runBucket(run);
    try {
      await this.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: partKey(run, taskId) }));
      return true;
    } catch (err) {
      if ((err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) return false;
      throw err;
    }
  }

  async putRunFile(run: RunLocation, name: string, body: string): Promise<string> {
    const bucket = runBucket(run);
    const key = `${runPrefix(run)}/${name}`;
    assertSafeKey(bucket, key);
    await this.s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: 'application/json' }));
    return key;
  }
}
