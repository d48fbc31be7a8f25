// Builds collectors for tests from a few overrides, with the defaults a test needs.
import type { Collector } from '../../runtime/language/generated/collector.types.ts';
import { MemorySink } from '../../runtime/adapters/memory-sink.ts';
import { runLocal, type LocalRunOptions, type LocalRunResult } from '../../runtime/drivers/local/run.ts';
import { resolveCollector } from '../../runtime/language/resolve.ts';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function jsonCollector(url: string, extra: Partial<Collector> = {}): Collector {
  return {
    name: 'test-api',
    start: { urls: [url] },
    parse: 'json',
    extract: { items: 'items', fields: { id: { path: 'id', type: 'integer', required: true }, name: 'name' } },
    output: 's3://test-bucket/raw/{{ name }}',
    ...extra,
  };
}

export function tempDir(prefix = 'collect-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Runs a collector locally into memory; returns the records in task order and the result. */
export async function runInMemory(
  collector: Collector,
  options: Partial<LocalRunOptions> = {},
): Promise<LocalRunResult & { sink: MemorySink }> {
  const sink = new MemorySink();
  const result = await runLocal({
    collector: resolveCollector(collector),
    outDir: options.outDir ?? tempDir(),
    allowPrivateNetwork: true,
    sink,
    ...options,
  });
  return { ...result, sink };
}
