// The columns of a collector's records, from its declared fields: what the Glue
// table over its output (catalog-table.ts) and the local DuckDB view of
// `collect query` (runtime/tools/query) both declare, so a query reads the same
// columns in Athena and on a laptop. A field's type gives its column type;
// nested `fields` give a struct (an array of structs with `list: true`); a field
// whose value the declaration does not pin down (a JMESPath without `type`, JSON
// read from a page) is a string, which the JSON SerDe and DuckDB fill with the
// value's JSON text when it is not one.
import type { ResolvedCollector as Collector, ResolvedField as Field } from '../../runtime/language/generated/resolved.types.ts';

export type ColumnType =
  | { kind: 'string' | 'bigint' | 'double' | 'boolean' }
  | { kind: 'array'; of: ColumnType }
  | { kind: 'struct'; fields: { name: string; key: string; type: ColumnType }[] };

export interface RecordColumn {
  /** The column: the field name in lower case, as Glue and Athena keep every name. */
  name: string;
  /** The key in the JSON record, as declared. */
  key: string;
  type: ColumnType;
}

/** The partition column every table has, from the key layout (`<prefix>/dt=YYYY-MM-DD/run=<runId>/`). */
export const DATE_PARTITION = 'dt';

const STRING: ColumnType = { kind: 'string' };

/**
 * Every declared field of the collector's records, in the order written: the
 * start pages' fields, those of each `follow` level, then those of each kind of
 * page under `pages`. A name declared twice with different types is a string.
 * A field named like the partition column is left out (the `dt` column is the
 * run's date); `leftOut` names it.
 */
export function recordColumns(collector: Collector): { columns: RecordColumn[]; leftOut: string[] } {
  const byName = new Map<string, RecordColumn>();
  const add = (fields: Record<string, Field> | undefined): void => {
    for (const [key, field] of Object.entries(fields ?? {})) {
      const name = key.toLowerCase();
      const type = fieldType(field);
      const seen = byName.get(name);
      if (!seen) byName.set(name, { name, key, type });
      else if (!sameType(seen.type, type)) byName.set(name, { ...seen, type: STRING });
    }
  };
  const addFollow = (follow: Collector['follow']): void => {
    for (let f = follow; f; f = f.follow) add(f.extract.fields);
  };
  add(collector.extract?.fields);
  addFollow(collector.follow);
  for (const kind of Object.values(collector.pages ?? {})) {
    add(kind.extract?.fields);
    addFollow(kind.follow);
  }
  const leftOut = byName.has(DATE_PARTITION) ? [byName.get(DATE_PARTITION)!.key] : [];
  byName.delete(DATE_PARTITION);
  return { columns: [...byName.values()], leftOut };
}

function fieldType(field: Field): ColumnType {
  if (typeof field === 'string') return STRING;
  const one: ColumnType = field.fields
    ? {
        kind: 'struct',
        fields: Object.entries(field.fields).map(([key, f]) => ({ name: key.toLowerCase(), key, type: fieldType(f) })),
      }
    : scalar(field.type);
  return field.list ? { kind: 'array', of: one } : one;
}

function scalar(type: Exclude<Field, string>['type']): ColumnType {
  switch (type) {
    case 'integer':
      return { kind: 'bigint' };
    case 'number':
      return { kind: 'double' };
    case 'boolean':
      return { kind: 'boolean' };
    default:
      // string, url, date (an ISO 8601 instant as text), or no type at all.
      return STRING;
  }
}

function sameType(a: ColumnType, b: ColumnType): boolean {
  return hiveType(a) === hiveType(b);
}

/** The type as Glue and Hive write it: `array<struct<login:string,id:bigint>>`. */
export function hiveType(type: ColumnType): string {
  switch (type.kind) {
    case 'array':
      return `array<${hiveType(type.of)}>`;
    case 'struct':
      return `struct<${type.fields.map((f) => `${f.name}:${hiveType(f.type)}`).join(',')}>`;
    default:
      return type.kind;
  }
}
