// Compares the records of a replay with the expected ones, field by field.
// Records are paired by the collector's dedupe key when it has one (so a
// reordering is no difference), otherwise by position.
import type { DataRecord, RecordValue } from '../../core/extract/types.ts';

interface FieldChange {
  field: string;
  /** `changed`: both have it; `missing`: only the expected record has it; `added`: only the new one. */
  kind: 'changed' | 'missing' | 'added';
  expected?: RecordValue;
  actual?: RecordValue;
}

interface RecordDiff {
  /** `record 3 (url "https://...")` */
  label: string;
  /** `changed`: fields differ; `missing`: expected, not produced; `extra`: produced, not expected. */
  kind: 'changed' | 'missing' | 'extra';
  changes: FieldChange[];
  record?: DataRecord;
}

export interface Comparison {
  equal: boolean;
  expected: number;
  actual: number;
  /** Pairs that are identical. */
  same: number;
  diffs: RecordDiff[];
  pairedBy: 'key' | 'position';
}

export function compareRecords(expected: readonly DataRecord[], actual: readonly DataRecord[], keyFields?: readonly string[]): Comparison {
  const keyOf = keyFields?.length ? (r: DataRecord) => JSON.stringify(keyFields.map((k) => r[k] ?? null)) : undefined;
  const byKey = keyOf && unique(expected, keyOf) && unique(actual, keyOf);
  const diffs: RecordDiff[] = [];
  let same = 0;
  const pair = (label: string, e: DataRecord | undefined, a: DataRecord | undefined): void => {
    if (e && !a) diffs.push({ label, kind: 'missing', changes: [], record: e });
    else if (a && !e) diffs.push({ label, kind: 'extra', changes: [], record: a });
    else if (e && a) {
      const changes = compareFields(e, a);
      if (changes.length === 0) same++;
      else diffs.push({ label, kind: 'changed', changes });
    }
  };

  if (byKey) {
    const actualByKey = new Map(actual.map((r) => [keyOf(r), r]));
    const seen = new Set<string>();
    expected.forEach((e, i) => {
      const k = keyOf(e);
      seen.add(k);
      pair(label(i, e, keyFields), e, actualByKey.get(k));
    });
    actual.forEach((a, i) => {
      if (!seen.has(keyOf(a))) pair(label(i, a, keyFields), undefined, a);
    });
  } else {
    for (let i = 0; i < Math.max(expected.length, actual.length); i++) {
      const e = expected[i];
      const a = actual[i];
      pair(label(i, (e ?? a)!, keyFields), e, a);
    }
  }
  return { equal: diffs.length === 0, expected: expected.length, actual: actual.length, same, diffs, pairedBy: byKey ? 'key' : 'position' };
}

function compareFields(e: DataRecord, a: DataRecord): FieldChange[] {
  const changes: FieldChange[] = [];
  const names = [...Object.keys(e), ...Object.keys(a).filter((k) => !(k in e))];
  for (const field of names) {
    const inE = field in e;
    const inA = field in a;
    if (inE && !inA) changes.push({ field, kind: 'missing', expected: e[field]! });
    else if (!inE && inA) changes.push({ field, kind: 'added', actual: a[field]! });
    else if (!deepEqual(e[field]!, a[field]!)) changes.push({ field, kind: 'changed', expected: e[field]!, actual: a[field]! });
  }
  return changes;
}

function deepEqual(x: RecordValue, y: RecordValue): boolean {
  if (x === y) return true;
  if (x === null || y === null || typeof x !== 'object' || typeof y !== 'object') return false;
  if (Array.isArray(x) !== Array.isArray(y)) return false;
  if (Array.isArray(x) && Array.isArray(y)) return x.length === y.length && x.every((v, i) => deepEqual(v, y[i]!));
  const xo = x as Record<string, RecordValue>;
  const yo = y as Record<string, RecordValue>;
  const keys = Object.keys(xo);
  return keys.length === Object.keys(yo).length && keys.every((k) => k in yo && deepEqual(xo[k]!, yo[k]!));
}

export interface FormatOptions {
  expectedFile: string;
  /** Records shown at most; the rest are counted. Default 20. */
  maxRecords?: number;
}

/**
 *   record 3 (url "https://…/index.html"): 2 fields differ
 *     price: expected 51.77, got 52.77
 *     upc: expected "a897fe39b1053632", got nothing (field missing)
 */
export function formatComparison(c: Comparison, options: FormatOptions): string {
  const max = options.maxRecords ?? 20;
  const lines: string[] = [];
  const changed = c.diffs.filter((d) => d.kind === 'changed').length;
  const missing = c.diffs.filter((d) => d.kind === 'missing').length;
  const extra = c.diffs.filter((d) => d.kind === 'extra').length;
  const parts = [changed && `${changed} changed`, missing && `${missing} missing`, extra && `${extra} unexpected`].filter(Boolean);
  lines.push(
    `records differ from ${options.expectedFile}: ${parts.join(', ')} (expected ${c.expected}, got ${c.actual}; ${c.same} identical; paired by ${c.pairedBy === 'key' ? 'dedupe key' : 'position'})`,
  );
  for (const d of c.diffs.slice(0, max)) {
    if (d.kind === 'missing') lines.push(`  ${d.label}: expected but not produced: ${short(d.record!, 160)}`);
    else if (d.kind === 'extra') lines.push(`  ${d.label}: produced but not expected: ${short(d.record!, 160)}`);
    else {
      lines.push(`  ${d.label}: ${d.changes.length} field${d.changes.length === 1 ? '' : 's'} differ${d.changes.length === 1 ? 's' : ''}`);
      for (const ch of d.changes) lines.push(`    ${ch.field}: ${describeChange(ch)}`);
    }
  }
  if (c.diffs.length > max) lines.push(`  ... and ${c.diffs.length - max} more records`);
  return `${lines.join('\n')}\n`;
}

function describeChange(ch: FieldChange): string {
  switch (ch.kind) {
    case 'missing':
      return `expected ${short(ch.expected!)}, got nothing (field missing)`;
    case 'added':
      return `not expected, got ${short(ch.actual!)} (new field)`;
    default:
      return `expected ${short(ch.expected!)}, got ${short(ch.actual!)}`;
  }
}

function label(index: number, r: DataRecord, keyFields: readonly string[] | undefined): string {
  const named = keyFields?.length ? keyFields : Object.keys(r).slice(0, 1);
  const id = named.map((k) => `${k} ${short(r[k] ?? null, 70)}`).join(', ');
  return `record ${index + 1}${id ? ` (${id})` : ''}`;
}

function short(value: RecordValue | DataRecord, max = 60): string {
  const text = JSON.stringify(value) ?? 'undefined';
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function unique(records: readonly DataRecord[], keyOf: (r: DataRecord) => string): boolean {
  return new Set(records.map(keyOf)).size === records.length;
}
