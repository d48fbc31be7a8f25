// Incremental state on S3 with conditional writes: a new key is created with
// If-None-Match: *, an existing one replaced with If-Match: <ETag it was read
// with>. Two invocations raising the same cursor cannot overwrite each other:
// the loser gets 412 (or 409 while the other write is in flight), reads again
// and retries (IncrementalState does that).
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { StateEntry, StateStore } from '../../core/engine/ports.ts';
import { isConditionFailed, isNotFound } from './s3-errors.ts';
import { fixedPrefix } from '../../language/s3-uri.ts';

export class S3StateStore implements StateStore {
  constructor(
    private readonly s3: S3Client,
    readonly bucket: string,
    /** Key prefix without trailing slash; a state key `k` lives at `<prefix>/<k>.json`. */
    readonly prefix: string,
  ) {}

  key(key: string): string {
    const safe = key.replace(/[^A-Za-z0-9._-]/g, '_');
    return this.prefix ? `${this.prefix}/${safe}.json` : `${safe}.json`;
  }

  async get(key: string): Promise<StateEntry | undefined> {
    try {
      const res = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.key(key) }));
      const value = (await res.Body?.transformToString('utf-8')) ?? '';
      return { value, ...(res.ETag ? { version: res.ETag } : {}) };
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  async put(key: string, value: string, expectedVersion: string | undefined): Promise<boolean> {
    const condition = expectedVersion === undefined ? { IfNoneMatch: '*' } : { IfMatch: expectedVersion };
    try {
      await this.s3.send(
        new PutObjectCommand({ Bucket: this.bucket, Key: this.key(key), Body: value, ContentType: 'application/json', ...condition }),
      );
      return true;
    } catch (err) {
      // If-Match on a key that was deleted meanwhile answers 404: also "someone else changed it".
      if (isConditionFailed(err) || (expectedVersion !== undefined && isNotFound(err))) return false;
      throw err;
    }
  }
}

/**
 * Where a collector's cursor lives: below its output prefix (the only place its
 * IAM role may write), up to the first template other than `{{ name }}`, so
 * that every run of the collector finds the same key.
 */
export function stateLocation(output: string, collector: string): { bucket: string; prefix: string } {
  const { bucket, literal, templated } = fixedPrefix(output, collector);
  return { bucket, prefix: `${templated || literal === '' ? literal : `${literal}/`}_state` };
}
