// Local runs written as `collect run` writes them (runtime/core/output/layout.ts):
// `<out>/<bucket>/<prefix>/dt=<date>/run=<runId>/part-<task>.jsonl.gz`, and a
// `_manifest.json` (pretty, as the drivers write it) once the run ended.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Manifest } from '../../runtime/core/output/manifest.ts';

export interface LocalRun {
  /** `<bucket>/<prefix>` of the collector's output. */
  where: string;
  collector: string;
  runId: string;
  /** Records of each part. */
  parts: Record<string, unknown>[][];
  /** Omitted: the run has not ended (no manifest). */
  status?: Manifest['status'];
}

export async function writeLocalRun(out: string, run: LocalRun): Promise<string> {
  const dt = `${run.runId.slice(0, 4)}-${run.runId.slice(4, 6)}-${run.runId.slice(6, 8)}`;
  const dir = join(out, run.where, `dt=${dt}`, `run=${run.runId}`);
  await mkdir(dir, { recursive: true });
  const names: string[] = [];
  for (const [i, records] of run.parts.entries()) {
    const name = `part-${String(i).padStart(16, '0')}.jsonl.gz`;
    names.push(name);
    await writeFile(join(dir, name), gzipSync(records.map((r) => `${JSON.stringify(r)}\n`).join('')));
  }
  if (run.status) {
    const records = run.parts.flat().length;
    const manifest: Manifest = {
      collector: run.collector,
      runId: run.runId,
      specHash: 'f'.repeat(64),
      status: run.status,
      startedAt: '2026-11-02T06:00:00.000Z',
      finishedAt: '2026-11-02T06:01:00.000Z',
      durationMs: 60_000,
      tasks: run.parts.length,
      pages: run.parts.length,
      records,
      failures: run.status === 'failed' ? 1 : 0,
      retries: 0,
      bytes: 1234,
      dropped: {},
      fillRates: {},
      expectations: { ok: run.status === 'succeeded', problems: [] },
      warnings: [],
      parts: names,
    };
    await writeFile(join(dir, '_manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  }
  // What Athena skips and the views must too: run files that start with "_".
  await writeFile(join(dir, '_run.json'), '{"v":1}\n');
  return dir;
}
