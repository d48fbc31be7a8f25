// `collect show`: the records of a collector's latest local run, read from its
// parts (gzipped JSON Lines), with the share of records that fill each field.
import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { isFilled } from '../../core/engine/stats.ts';
import type { Manifest } from '../../core/output/manifest.ts';
import type { LocalTable } from './local-tables.ts';
import { runFolders, type RunFolder } from './run-folders.ts';

export interface ShownRun {
  run: RunFolder;
  /** Its manifest, once the run has ended. */
  manifest?: Manifest;
  records: Record<string, unknown>[];
  /** Fields in the order declared, then any others the records hold. */
  fields: string[];
  /** Field to the share of records where it is filled (the engine's rule, as in the manifest's fill rates). */
  fillRates: Record<string, number>;
}

/** The latest run under the table's folder, or undefined when there is none. */
export async function latestRun(table: LocalTable, runId?: string): Promise<ShownRun | undefined> {
  const runs = await runFolders(table.root);
  const run = runId ? runs.find((r) => r.runId === runId) : runs.at(-1);
  if (!run) return undefined;
  const records: Record<string, unknown>[] = [];
  for (const part of run.parts) {
    for (const line of gunzipSync(await readFile(part))
      .toString('utf8')
      .split('\n'))
      if (line) records.push(JSON.parse(line) as Record<string, unknown>);
  }
  const fields = table.columns.map((c) => c.key);
  for (const r of records) for (const key of Object.keys(r)) if (!fields.includes(key)) fields.push(key);
  const fillRates: Record<string, number> = {};
  for (const f of fields) fillRates[f] = records.length ? records.filter((r) => isFilled(r[f])).length / records.length : 0;
  const manifest = run.manifest ? (JSON.parse(await readFile(run.manifest, 'utf8')) as Manifest) : undefined;
  return { run, ...(manifest ? { manifest } : {}), records, fields, fillRates };
}
