// The tables of `collect query` and `collect show`: the same names and columns
// as the project's Glue Data Catalog (deploy/generate/catalog-table.ts, one per
// collector over its output prefix, and collect_runs), over the folder a local
// run writes: `<out>/<bucket>/<prefix>/dt=YYYY-MM-DD/run=<runId>/`.
import { join } from 'node:path';
import { tableOf } from '../../../deploy/generate/collector-plan.ts';
import { catalogNames } from '../../../deploy/generate/names.ts';
import type { RecordColumn } from '../../../deploy/generate/record-columns.ts';
import type { ResolvedCollector as Collector } from '../../language/generated/resolved.types.ts';

export interface LocalTable {
  /** The table's name, as in Athena: `books_toscrape`. */
  name: string;
  collector: string;
  /** The folder above the `dt=` folders. */
  root: string;
  /** `s3://<bucket>/<prefix>`: what `"$path"` starts with, as on S3. */
  s3Root: string;
  columns: RecordColumn[];
}

export const RUNS_TABLE = catalogNames.runsTable;

/** The collectors' tables under `out`, and the collectors that have none (and why). */
export function localTables(
  collectors: readonly Collector[],
  out: string,
): { tables: LocalTable[]; skipped: { collector: string; why: string }[] } {
  const tables: LocalTable[] = [];
  const skipped: { collector: string; why: string }[] = [];
  for (const c of collectors) {
    const table = tableOf(c);
    if ('none' in table) {
      skipped.push({ collector: c.name, why: table.none });
      continue;
    }
    tables.push({
      name: catalogNames.table(c.name),
      collector: c.name,
      root: join(out, table.bucket, table.prefix),
      s3Root: `s3://${table.bucket}/${table.prefix}`,
      columns: table.columns,
    });
  }
  return { tables: tables.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)), skipped };
}
