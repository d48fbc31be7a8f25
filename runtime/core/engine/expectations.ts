// A run below its `expect` block fails loudly: a redesign that empties a field
// or a page is caught the next morning, not next month.
import type { Collector } from '../../language/generated/collector.types.ts';
import { declaredFieldNames } from '../../language/page-kinds.ts';
import type { TaskStats } from './stats.ts';

export interface ExpectationReport {
  ok: boolean;
  problems: string[];
  /** Per field: share of records in which it is present and not empty. */
  fillRates: Record<string, number>;
}

type JsonType = 'string' | 'number' | 'integer' | 'boolean' | 'object' | 'array';

function jsonTypeOk(value: unknown, type: JsonType): boolean {
  if (value === null || value === undefined) return true;
  switch (type) {
    case 'array':
      return Array.isArray(value);
    case 'object':
      return typeof value === 'object' && !Array.isArray(value);
    case 'integer':
      return Number.isInteger(value);
    default:
      return typeof value === type;
  }
}

/** Counts, per field, the records whose value has the wrong JSON type. */
export function countTypeErrors(stats: TaskStats, record: Record<string, unknown>, types: Record<string, JsonType> | undefined): void {
  if (!types) return;
  for (const [field, type] of Object.entries(types)) {
    if (!jsonTypeOk(record[field], type)) {
      stats.typeErrors ??= {};
      stats.typeErrors[field] = (stats.typeErrors[field] ?? 0) + 1;
    }
  }
}

/** The record fields a collector declares: its own, those its detail pages merge in, and those of its other kinds of page. */
export function declaredFields(collector: Pick<Collector, 'extract' | 'follow' | 'pages'>): string[] {
  return declaredFieldNames(collector);
}

/** `fields`: the declared fields, so that one never filled shows in the fill rates as 0. */
export function checkExpectations(
  expect: Collector['expect'],
  stats: TaskStats,
  complete: boolean,
  fields: readonly string[] = [],
): ExpectationReport {
  const fillRates: Record<string, number> = {};
  for (const field of fields) fillRates[field] = 0;
  for (const [field, n] of Object.entries(stats.filled)) fillRates[field] = stats.records ? round(n / stats.records) : 0;
  const problems: string[] = [];
  if (expect?.minRecords !== undefined && complete && stats.records < expect.minRecords) {
    problems.push(`expected at least ${expect.minRecords} records, got ${stats.records}`);
  }
  for (const [field, min] of Object.entries(expect?.fillRate ?? {})) {
    const rate = fillRates[field] ?? 0;
    if (stats.records > 0 && rate < min)
      problems.push(`field ${field} is filled in ${pct(rate)} of records, expected at least ${pct(min)}`);
  }
  for (const [field, n] of Object.entries(stats.typeErrors ?? {})) {
    problems.push(`field ${field} has the wrong type in ${n} records (expected ${expect?.types?.[field]})`);
  }
  return { ok: problems.length === 0, problems, fillRates };
}

function round(x: number): number {
  return Math.round(x * 10000) / 10000;
}

function pct(x: number): string {
  return `${(x * 100).toFixed(1).replace(/\.0$/, '')}%`;
}
