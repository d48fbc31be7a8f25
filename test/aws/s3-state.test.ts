import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3StateStore, stateLocation } from '../../runtime/adapters/aws/s3-state.ts';
import { IncrementalState } from '../../runtime/core/engine/incremental.ts';
import type { StateStore } from '../../runtime/core/engine/ports.ts';
import { createBucket, motoClients, startMoto, type AwsTestClients, type Moto } from '../helpers/moto.ts';
import { listKeys } from './s3-read.ts';

let moto: Moto;
let aws: AwsTestClients;
beforeAll(async () => {
  moto = await startMoto();
  aws = motoClients(moto.endpoint);
});
afterAll(() => moto?.stop());

describe('S3StateStore (conditional writes)', () => {
  it('creates with If-None-Match and replaces with If-Match; a stale writer loses', async () => {
    const store = new S3StateStore(aws.s3, await createBucket(aws.s3), 'raw/c/_state');
    expect(await store.get('c')).toBeUndefined();
    expect(await store.put('c', 'v1', undefined)).toBe(true);
    expect(await store.put('c', 'again', undefined)).toBe(false); // someone created it first
    const first = await store.get('c');
    expect(first?.value).toBe('v1');
    expect(await store.put('c', 'v2', first!.version)).toBe(true);
    expect(await store.put('c', 'v3', first!.version)).toBe(false); // stale ETag
    expect((await store.get('c'))?.value).toBe('v2');
  });

  it('treats an If-Match on a key deleted meanwhile as a lost race, not an error', async () => {
    const store = new S3StateStore(aws.s3, await createBucket(aws.s3), 'p');
    expect(await store.put('gone', 'v', '"0123456789abcdef0123456789abcdef"')).toBe(false);
  });

  it('makes the loser of a race read again, so neither invocation overwrites the other', async () => {
    const bucket = await createBucket(aws.s3);
    const store = new S3StateStore(aws.s3, bucket, 'raw/c/_state');
    // Invocation B reads the (missing) cursor, then waits; A raises it to 42; then B writes 50.
    let arrived!: () => void;
    let release!: () => void;
    const atPut = new Promise<void>((r) => (arrived = r));
    const gate = new Promise<void>((r) => (release = r));
    const results: boolean[] = [];
    let first = true;
    const slow: StateStore = {
      get: (k) => store.get(k),
      put: async (k, v, version) => {
        if (first) {
          first = false;
          arrived();
          await gate;
        }
        const ok = await store.put(k, v, version);
        results.push(ok);
        return ok;
      },
    };
    const b = new IncrementalState(slow, 'c', '20240101T000000Z').raise('50');
    await atPut;
    await new IncrementalState(store, 'c', '20240101T000000Z').raise('42');
    release();
    await b;
    expect(results).toEqual([false, true]); // B's blind create lost, its second try won
    const mark = JSON.parse((await store.get('c'))!.value) as { cursor: string; previous: string | null };
    expect(mark).toMatchObject({ cursor: '50', previous: null });
    // The next run compares against it; this run still compares against what came before it.
    expect(await new IncrementalState(store, 'c', '20240102T000000Z').baseline()).toBe('50');
    expect(await new IncrementalState(store, 'c', '20240101T000000Z').baseline()).toBeNull();
    expect(await listKeys(aws.s3, bucket)).toEqual(['raw/c/_state/c.json']);
  });
});

describe('stateLocation', () => {
  it('puts the state under the fixed part of the output prefix, where the role may write', () => {
    expect(stateLocation('s3://lake/raw/{{ name }}', 'books')).toEqual({ bucket: 'lake', prefix: 'raw/books/_state' });
    expect(stateLocation('s3://lake/raw/{{name}}/', 'books')).toEqual({ bucket: 'lake', prefix: 'raw/books/_state' });
    expect(stateLocation('s3://lake/data/x-{{ date }}', 'books')).toEqual({ bucket: 'lake', prefix: 'data/x-_state' });
    expect(stateLocation('s3://lake', 'books')).toEqual({ bucket: 'lake', prefix: '_state' });
  });
});
