import { existsSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FolderSink } from '../../runtime/adapters/folder-sink.ts';
import { emptyStats } from '../../runtime/core/engine/stats.ts';
import { tempDir } from '../helpers/collector.ts';
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
