// Start variables: constants, lists, integer ranges and date ranges. A URL
// template expands over every combination of the variables it uses.
import { DateTime } from 'luxon';
import type { ResolvedVariable } from './generated/resolved.types.ts';

class VariableError extends Error {
  override readonly name = 'VariableError';
}

const RELATIVE = /^([+-]\d+)([dwm])$/;

/** Reads `today`, `yesterday`, `-7d`, `+1w`, `-1m` or `2024-01-31` in a zone. */
export function resolveDate(text: string, zone: string, now: Date): DateTime {
  const today = DateTime.fromJSDate(now, { zone }).startOf('day');
  if (!today.isValid) throw new VariableError(`unknown time zone "${zone}"`);
  if (text === 'today') return today;
  if (text === 'yesterday') return today.minus({ days: 1 });
  const rel = RELATIVE.exec(text);
  if (rel) {
    const n = Number(rel[1]);
    const unit = rel[2] === 'd' ? 'days' : rel[2] === 'w' ? 'weeks' : 'months';
    return today.plus({ [unit]: n });
  }
  const abs = DateTime.fromISO(text, { zone });
  if (!abs.isValid || !/^\d{4}-\d{2}-\d{2}$/.test(text)) {
    throw new VariableError(`"${text}" is not a date: use today, yesterday, -7d, +1w, -1m or yyyy-MM-dd`);
  }
  return abs;
}

/** All values of one variable, as strings (they end up in URLs). */
export function variableValues(variable: ResolvedVariable, now: Date): string[] {
  if (typeof variable === 'string' || typeof variable === 'number') return [String(variable)];
  if (variable.values) return variable.values.map(String);
  if (variable.range) {
    const { from, to, step } = variable.range;
    const out: string[] = [];
    for (let i = from; i <= to; i += step) out.push(String(i));
    return out;
  }
  if (variable.dates) {
    const { from, to, step, format, timezone } = variable.dates;
    const start = resolveDate(from, timezone, now);
    const end = resolveDate(to, timezone, now);
    const n = Number(step.slice(0, -1));
    const unit = step.endsWith('d') ? 'days' : step.endsWith('w') ? 'weeks' : 'months';
    const out: string[] = [];
    for (let d = start, i = 0; d <= end; i++, d = start.plus({ [unit]: n * i })) out.push(d.toFormat(format));
    return out;
  }
  throw new VariableError('a variable needs `values`, `range` or `dates`');
}

/**
 * How many values `variableValues` gives, computed without making them (a
 * range of a hundred million is one subtraction). 0 for a range or dates that
 * run backwards.
 */
export function variableCount(variable: ResolvedVariable, now: Date): number {
  if (typeof variable === 'string' || typeof variable === 'number') return 1;
  if (variable.values) return variable.values.length;
  if (variable.range) {
    const { from, to, step } = variable.range;
    return from > to ? 0 : Math.floor((to - from) / step) + 1;
  }
  if (variable.dates) {
    const { from, to, step, timezone } = variable.dates;
    const start = resolveDate(from, timezone, now);
    const end = resolveDate(to, timezone, now);
    if (start > end) return 0;
    const n = Number(step.slice(0, -1));
    if (step.endsWith('m')) {
      // Whole months from start to end, as the expansion counts them (Jan 31 + 1 month is Feb 29).
      let months = Math.floor(end.diff(start, 'months').months);
      while (months >= 0 && start.plus({ months }) > end) months -= 1;
      return Math.floor(months / n) + 1;
    }
    // Both are midnights in the zone: a day is 23 or 25 hours across a DST change.
    const days = Math.round(end.diff(start, 'days').days);
    return Math.floor(days / (step.endsWith('w') ? 7 * n : n)) + 1;
  }
  throw new VariableError('a variable needs `values`, `range` or `dates`');
}

/** Every combination of the named variables (cartesian product), in declaration order. */
export function combinations(names: string[], values: ReadonlyMap<string, string[]>): Record<string, string>[] {
  let out: Record<string, string>[] = [{}];
  for (const name of names) {
    const vs = values.get(name);
    if (!vs) continue;
    const next: Record<string, string>[] = [];
    for (const combo of out) for (const v of vs) next.push({ ...combo, [name]: v });
    out = next;
  }
  return out;
}

/** The variables that are one constant (not a list, range or dates): known before any run, usable by every template. */
export function constantVariables(variables: Readonly<Record<string, ResolvedVariable>>): Record<string, string> {
  const constants: Record<string, string> = {};
  for (const [name, v] of Object.entries(variables)) if (typeof v === 'string' || typeof v === 'number') constants[name] = String(v);
  return constants;
}
