// The steps from a raw value to a record value, in the order the schema gives:
// white space, regex, map, type. HTML text that ends up empty counts as no value.

import { FAILED } from './convert.ts';
import type { FieldSpec } from './field-spec.ts';
import { applyRegex } from './regex.ts';
import type { Env } from './record.ts';
import type { RecordValue } from './types.ts';

export type Source = 'html' | 'json' | 'csv' | 'context';
export type Finish = (raw: RecordValue | undefined, env: Env) => RecordValue;

const SPACES = /\s+/g;

function normalizeSpace(s: string): string {
  return s.replace(SPACES, ' ').trim();
}

export function compileFinish(spec: FieldSpec, source: Source): Finish {
  // JSON strings and CSV cells are data as the source sent them; only markup text carries layout white space.
  const normalize = spec.whitespace === 'normalize' || (spec.whitespace === undefined && source !== 'json' && source !== 'csv');
  const emptyIsMissing = source !== 'json';
  const { regex, map, convert, required } = spec;
  return (raw, env) => {
    if (raw === undefined || raw === null) return null;
    let v: RecordValue = raw;
    if (typeof v === 'string') {
      if (normalize) v = normalizeSpace(v);
      if (emptyIsMissing && v === '') return null;
    }
    if (regex) {
      if (typeof v === 'object') {
        if (required) env.problem = 'regex applied to a list or object';
        return null;
      }
      const text = typeof v === 'string' ? v : String(v);
      v = applyRegex(regex, text);
      if (v === null) {
        if (required) env.problem = `regex ${regex} does not match ${JSON.stringify(text)}`;
        return null;
      }
    }
    if (map && typeof v !== 'object') {
      const key = typeof v === 'string' ? v : String(v);
      if (map.has(key)) v = map.get(key)!;
    }
    if (convert && v !== null) {
      const converted = convert(v, env.base);
      if (converted === FAILED) {
        if (required) env.problem = `cannot read ${JSON.stringify(v)} as ${spec.type}`;
        return null;
      }
      v = converted;
    }
    return v;
  };
}
