// The project's table of finished runs in the Glue Data Catalog
// (deploy/terraform/catalog.tf) and its local twin (`collect query`): one row
// per run, from the run's manifest, so a query can keep only the records of
// runs that finished and succeeded. Where the rows live on AWS: one JSON line
// per run at `collect-runs/dt=<date>/<collector>/<runId>.json` in the project
// bucket, a copy of `_manifest.json` on one line (Athena skips keys that start
// with `_`, and its JSON SerDe reads one object per line).
import type { ColumnType } from './record-columns.ts';

const STRING: ColumnType = { kind: 'string' };
const BIGINT: ColumnType = { kind: 'bigint' };

/** Column name (lower case, as Glue keeps it) to the manifest key it reads, and its type. */
export const RUN_COLUMNS: { name: string; key: string; type: ColumnType }[] = [
  { name: 'collector', key: 'collector', type: STRING },
  { name: 'runid', key: 'runId', type: STRING },
  { name: 'status', key: 'status', type: STRING },
  { name: 'spechash', key: 'specHash', type: STRING },
  { name: 'startedat', key: 'startedAt', type: STRING },
  { name: 'finishedat', key: 'finishedAt', type: STRING },
  { name: 'durationms', key: 'durationMs', type: BIGINT },
  { name: 'tasks', key: 'tasks', type: BIGINT },
  { name: 'pages', key: 'pages', type: BIGINT },
  { name: 'records', key: 'records', type: BIGINT },
  { name: 'failures', key: 'failures', type: BIGINT },
  { name: 'retries', key: 'retries', type: BIGINT },
  { name: 'bytes', key: 'bytes', type: BIGINT },
];
