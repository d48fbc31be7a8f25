import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FolderSink } from '../../runtime/adapters/folder-sink.ts';
import { emptyStats } from '../../runtime/core/engine/stats.ts';
import { UnsafeOutputError } from '../../runtime/core/output/layout.ts';
import { runLocal } from '../../runtime/drivers/local/run.ts';
import { resolveCollector } from '../../runtime/language/resolve.ts';
import { jsonCollector, tempDir } from '../helpers/collector.ts';
import { readParts } from '../helpers/parts.ts';

const run = { collector: 'c', runId: '20240101T000000Z-abcdef', output: 's3://bucket/raw/c' };

describe('FolderSink', () => {
  it('writes every record of a part, in order, across many gzip batches', async () => {
    const root = tempDir();
    const part = new FolderSink(root).openPart(run, '0123456789abcdef');
    const records = Array.from({ length: 3000 }, (_, i) => ({ i, text: 'x'.repeat(i % 97) }));
    for (const r of records) part.write(r);
    const path = await part.commit(emptyStats());
    expect(path).toBe(`${root}/bucket/raw/c/dt=2024-01-01/run=20240101T000000Z-abcdef/part-0123456789abcdef.jsonl.gz`);
    expect(readParts(root)).toEqual(records);
  });

  it('leaves nothing behind when a part is aborted', async () => {
    const root = tempDir();
    const sink = new FolderSink(root);
    const part = sink.openPart(run, 'fedcba9876543210');
    part.write({ a: 1 });
    await part.abort();
    const dir = sink.runDir(run);
    expect(existsSync(dir) ? readdirSync(dir) : []).toEqual([]);
  });
});

describe('FolderSink keeps every write below its folder', () => {
  /** A folder `out` inside a fresh directory, so that anything written beside it shows. */
  function nested(): { top: string; root: string } {
    const top = tempDir('collect-bounds-');
    const root = join(top, 'deep', 'out');
    mkdirSync(root, { recursive: true });
    return { top, root };
  }

  it.each([
    ['a ".." prefix', 's3://lake/../../../escaped', /has a "\.\." segment/],
    ['a ".." bucket', 's3://../escaped', /has a "\.\." segment/],
    ['a backslash', 's3://lake/..\\..\\escaped', /backslash/],
    ['a control character', 's3://lake/raw\u0000x', /control character U\+0000/],
  ])('refuses %s, and writes nothing anywhere', async (_, output, reason) => {
    const { top, root } = nested();
    const sink = new FolderSink(root);
    const run = { collector: 'c', runId: '20240101T000000Z-abcdef', output };
    expect(() => sink.runDir(run)).toThrow(UnsafeOutputError);
    expect(() => sink.runDir(run)).toThrow(reason);
    expect(() => sink.openPart(run, '0123456789abcdef')).toThrow(UnsafeOutputError);
    await expect(sink.putRunFile(run, '_manifest.json', '{}')).rejects.toThrow(UnsafeOutputError);
    expect(readdirSync(top)).toEqual(['deep']);
    expect(readdirSync(join(top, 'deep'))).toEqual(['out']);
    expect(readdirSync(root)).toEqual([]);
  });

  it('refuses a run file whose name climbs out of the run', async () => {
    const { root } = nested();
    const sink = new FolderSink(root);
    await expect(sink.putRunFile(run, '../../../../../../escaped.json', '{}')).rejects.toThrow(UnsafeOutputError);
    expect(readdirSync(root)).toEqual([]);
  });

  it('stops a run whose output was never validated before it writes anything (the validator bypassed)', async () => {
    const { top, root } = nested();
    const escaping = resolveCollector(jsonCollector('http://127.0.0.1:9/none', { output: 's3://lake/../../../escaped' }));
    await expect(runLocal({ collector: escaping, outDir: root, allowPrivateNetwork: true })).rejects.toThrow(
      /refused to write s3:\/\/lake\/\.\.\/\.\.\/\.\.\/escaped\/dt=.*: the key has a "\.\." segment/,
    );
    // The same with a value no --var check saw.
    const templated = resolveCollector(
      jsonCollector('http://127.0.0.1:9/none', { output: 's3://lake/raw/{{ day }}', variables: { day: '2024-01-01' } }),
    );
    await expect(
      runLocal({ collector: templated, outDir: root, vars: { day: '../../../../escaped' }, allowPrivateNetwork: true }),
    ).rejects.toThrow(UnsafeOutputError);
    expect(readdirSync(top)).toEqual(['deep']);
    expect(readdirSync(join(top, 'deep'))).toEqual(['out']);
    // Only the local run index: no run folder, no checkpoint, no records.
    expect(readdirSync(root).filter((name) => name !== '.collect')).toEqual([]);
  });
});
