// `type:` conversions. Each converter returns FAILED instead of throwing: a value that does not
// convert becomes null, and only a required field turns that into an extraction error.

import { DateTime, Info } from 'luxon';
import { parseNumber } from './number.ts';
import type { RecordValue } from './types.ts';

export const FAILED: unique symbol = Symbol('conversion failed');
type Converted = RecordValue | typeof FAILED;
/** `base` is the URL relative links are resolved against (the page's, or its <base href>). */
export type Converter = (value: RecordValue, base: () => string) => Converted;

export type FieldType = 'string' | 'integer' | 'number' | 'boolean' | 'date' | 'url';

const BOOLEANS: Record<string, boolean> = { true: true, false: false, yes: true, no: false, '1': true, '0': false };

/** Epoch numbers below this are seconds, above it milliseconds (1e11 s is the year 5138). */
const EPOCH_MS_THRESHOLD = 1e11;

export interface DateOptions {
  format?: string;
  timezone?: string;
}

/** Throws on a bad time zone, so a collector fails at compile time rather than on every page. */
export function converterFor(type: FieldType, dates: DateOptions = {}): Converter {
  switch (type) {
    case 'string':
      return (v) => (typeof v === 'string' ? v : typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v));
    case 'number':
      return (v) => {
        if (typeof v === 'number') return Number.isFinite(v) ? v : FAILED;
        return typeof v === 'string' ? (parseNumber(v) ?? FAILED) : FAILED;
      };
    case 'integer':
      return (v) => {
        const n = typeof v === 'number' ? v : typeof v === 'string' ? parseNumber(v) : null;
        return n !== null && Number.isSafeInteger(n) ? n : FAILED;
      };
    case 'boolean':
      return (v) => {
        if (typeof v === 'boolean') return v;
        if (typeof v === 'number') return v === 1 ? true : v === 0 ? false : FAILED;
        if (typeof v !== 'string') return FAILED;
        return BOOLEANS[v.trim().toLowerCase()] ?? FAILED;
      };
    case 'date':
      return dateConverter(dates);
    case 'url':
      return (v, base) => {
        if (typeof v !== 'string') return FAILED;
        try {
          return new URL(v.trim(), base()).href;
        } catch {
          return FAILED;
        }
      };
  }
}

/**
 * Dates come out as UTC instants in the form of Date#toISOString, so that values from
 * different sources and zones compare and sort as plain strings (incremental cursors rely on it).
 */
function dateConverter({ format, timezone = 'UTC' }: DateOptions): Converter {
  if (!Info.isValidIANAZone(timezone)) throw new Error(`unknown time zone "${timezone}"`);
  // Month and weekday names are read in English whatever the machine's locale.
  const opts = { zone: timezone, locale: 'en-US' };
  const out = (dt: DateTime): Converted => (dt.isValid ? (dt.toUTC().toISO() ?? FAILED) : FAILED);
  if (format) {
    return (v) => (typeof v === 'string' ? out(DateTime.fromFormat(v.trim(), format, opts)) : FAILED);
  }
  return (v) => {
    if (typeof v === 'number') {
      return Number.isFinite(v) ? out(DateTime.fromMillis(Math.abs(v) < EPOCH_MS_THRESHOLD ? v * 1000 : v, opts)) : FAILED;
    }
    if (typeof v !== 'string') return FAILED;
    const s = v.trim();
    let dt = DateTime.fromISO(s, opts);
    if (!dt.isValid) dt = DateTime.fromRFC2822(s, opts);
    if (!dt.isValid) dt = DateTime.fromHTTP(s, opts);
    return out(dt);
  };
}
