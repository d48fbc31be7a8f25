// The DuckDB views of `collect query`, as SQL: one per collector over the parts
// of its local runs, and collect_runs over their manifests, with the columns
// of their Glue tables (record-columns.ts, runs-table.ts), `dt` from the run's
// folder, and, as Athena's hidden column, `"$path"`: the part's key as on S3
// (`s3://<bucket>/<prefix>/dt=…/run=<runId>/part-….jsonl.gz`), so the same
// `regexp_extract("$path", 'run=([^/]+)/', 1)` gives the run id in both.
import type { ColumnType, RecordColumn } from '../../../deploy/generate/record-columns.ts';
import { DATE_PARTITION } from '../../../deploy/generate/record-columns.ts';
import { RUN_COLUMNS } from '../../../deploy/generate/runs-table.ts';
import type { LocalTable } from './local-tables.ts';
import { RUNS_TABLE } from './local-tables.ts';

/** The column read_json adds with each row's file; a name no field can have (fields start with a letter or `_` and hold no `$`). */
const FILE_COLUMN = '$collect_file';
export const PATH_COLUMN = '$path';

function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

function literal(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

function duckdbType(type: ColumnType): string {
  switch (type.kind) {
    case 'string':
      return 'VARCHAR';
    case 'bigint':
      return 'BIGINT';
    case 'double':
      return 'DOUBLE';
    case 'boolean':
      return 'BOOLEAN';
    case 'array':
      return `${duckdbType(type.of)}[]`;
    case 'struct':
      return `STRUCT(${type.fields.map((f) => `${ident(f.key)} ${duckdbType(f.type)}`).join(', ')})`;
  }
}

/** `CREATE VIEW` of one collector's records over these part files (none: an empty view with the same columns). */
export function tableViewSql(table: LocalTable, parts: readonly string[]): string {
  const dt = `regexp_extract(${ident(FILE_COLUMN)}, '/${DATE_PARTITION}=([^/]+)/', 1)`;
  if (parts.length === 0) return emptyView(table.name, table.columns, [DATE_PARTITION, PATH_COLUMN]);
  const select = [
    ...table.columns.map((c) => `${ident(c.key)} AS ${ident(c.name)}`),
    `${dt} AS ${ident(DATE_PARTITION)}`,
    `${literal(table.s3Root)} || substr(${ident(FILE_COLUMN)}, ${table.root.length + 1}) AS ${ident(PATH_COLUMN)}`,
  ];
  const columns = table.columns.map((c) => `${literal(c.key)}: ${literal(duckdbType(c.type))}`).join(', ');
  return `CREATE VIEW ${ident(table.name)} AS SELECT ${select.join(', ')} FROM read_json([${parts.map(literal).join(', ')}], format = 'newline_delimited', columns = {${columns}}, filename = ${literal(FILE_COLUMN)})`;
}

/** `CREATE VIEW collect_runs` over these manifests: one row per finished run. */
export function runsViewSql(manifests: readonly string[]): string {
  const columns = RUN_COLUMNS.map((c): RecordColumn => ({ name: c.name, key: c.key, type: c.type }));
  if (manifests.length === 0) return emptyView(RUNS_TABLE, columns, [DATE_PARTITION]);
  const select = [
    ...columns.map((c) => `${ident(c.key)} AS ${ident(c.name)}`),
    `regexp_extract(${ident(FILE_COLUMN)}, '/${DATE_PARTITION}=([^/]+)/', 1) AS ${ident(DATE_PARTITION)}`,
  ];
  const types = columns.map((c) => `${literal(c.key)}: ${literal(duckdbType(c.type))}`).join(', ');
  return `CREATE VIEW ${ident(RUNS_TABLE)} AS SELECT ${select.join(', ')} FROM read_json([${manifests.map(literal).join(', ')}], columns = {${types}}, filename = ${literal(FILE_COLUMN)})`;
}

function emptyView(name: string, columns: readonly RecordColumn[], strings: string[]): string {
  const select = [
    ...columns.map((c) => `CAST(NULL AS ${duckdbType(c.type)}) AS ${ident(c.name)}`),
    ...strings.map((s) => `CAST(NULL AS VARCHAR) AS ${ident(s)}`),
  ];
  return `CREATE VIEW ${ident(name)} AS SELECT ${select.join(', ')} WHERE false`;
}
