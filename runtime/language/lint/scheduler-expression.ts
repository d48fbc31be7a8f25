// EventBridge Scheduler expressions: cron(min hour day-of-month month day-of-week year),
// rate(N unit) and at(yyyy-mm-ddThh:mm:ss). Checked here so a typo fails review,
// not the deploy.
import { DateTime } from 'luxon';
import type { Problem } from './problem.ts';

const EXAMPLES = 'e.g. cron(0 6 * * ? *), rate(1 day), at(2030-01-01T09:00:00)';

export function checkScheduleExpression(expression: string): Problem | undefined {
  if (expression !== expression.trim()) return { message: 'the schedule expression has spaces around it', hint: 'remove them' };
  const m = /^(cron|rate|at)\((.*)\)$/s.exec(expression);
  if (!m) return { message: `"${expression}" is not a schedule expression`, hint: EXAMPLES };
  const [, kind, inner] = m as unknown as [string, 'cron' | 'rate' | 'at', string];
  if (kind === 'rate') return checkRate(inner);
  if (kind === 'at') return checkAt(inner);
  return checkCron(inner);
}

function checkRate(inner: string): Problem | undefined {
  const m = /^(\d+) (minute|minutes|hour|hours|day|days)$/.exec(inner);
  if (!m) return { message: `rate(${inner}) is not a rate`, hint: 'write rate(N minutes|hours|days), e.g. rate(5 minutes), rate(1 hour)' };
  const n = Number(m[1]);
  const unit = m[2]!;
  const singular = unit.replace(/s$/, '');
  if (n < 1) return { message: `rate(${inner}): the value must be at least 1` };
  if (n === 1 && unit !== singular) return { message: `rate(${inner}): use the singular for 1`, hint: `rate(1 ${singular})` };
  if (n > 1 && unit === singular) return { message: `rate(${inner}): use the plural for ${n}`, hint: `rate(${n} ${singular}s)` };
  return undefined;
}

function checkAt(inner: string): Problem | undefined {
  const ok = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/.test(inner) && DateTime.fromISO(inner, { zone: 'UTC' }).isValid;
  return ok
    ? undefined
    : { message: `at(${inner}) is not a date and time`, hint: 'write at(yyyy-mm-ddThh:mm:ss), e.g. at(2030-01-01T09:00:00)' };
}

interface CronField {
  name: string;
  min: number;
  max: number;
  /** Names usable instead of numbers (JAN = 1, SUN = 1). */
  names?: readonly string[];
  /** Day fields take `?`; one of them must. */
  day?: 'month' | 'week';
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const WEEKDAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

const FIELDS: readonly CronField[] = [
  { name: 'minutes', min: 0, max: 59 },
  { name: 'hours', min: 0, max: 23 },
  { name: 'day-of-month', min: 1, max: 31, day: 'month' },
  { name: 'month', min: 1, max: 12, names: MONTHS },
  { name: 'day-of-week', min: 1, max: 7, names: WEEKDAYS, day: 'week' },
  { name: 'year', min: 1970, max: 2199 },
];

function checkCron(inner: string): Problem | undefined {
  const parts = inner
    .trim()
    .split(/\s+/)
    .filter((p) => p !== '');
  if (parts.length !== 6) {
    return {
      message: `cron(${inner}) has ${parts.length} ${parts.length === 1 ? 'field' : 'fields'}; EventBridge needs 6: minutes hours day-of-month month day-of-week year`,
      hint: parts.length === 5 ? `add a year, e.g. cron(${withYear(parts).join(' ')})` : 'e.g. cron(0 6 * * ? *)',
    };
  }
  for (let i = 0; i < 6; i++) {
    const problem = checkField(parts[i]!, FIELDS[i]!);
    if (problem) return problem;
  }
  const dom = parts[2]!;
  const dow = parts[4]!;
  if (dom === '?' && dow === '?')
    return { message: 'cron: only one of day-of-month and day-of-week may be "?"', hint: 'e.g. cron(0 6 * * ? *)' };
  if (dom !== '?' && dow !== '?') {
    return {
      message: 'cron: one of day-of-month and day-of-week must be "?"',
      hint: `e.g. cron(${[parts[0], parts[1], dom, parts[3], '?', parts[5]].join(' ')})`,
    };
  }
  return undefined;
}

/** A five-field (Unix) cron with a year added and a "?" in one day field. */
function withYear(parts: string[]): string[] {
  const out = [...parts, '*'];
  if (out[2] !== '?' && out[4] !== '?') {
    if (out[4] === '*') out[4] = '?';
    else if (out[2] === '*') out[2] = '?';
  }
  return out;
}

function checkField(text: string, f: CronField): Problem | undefined {
  const bad = (detail: string, hint?: string): Problem => ({ message: `cron ${f.name} "${text}": ${detail}`, ...(hint ? { hint } : {}) });
  if (text === '?') return f.day ? undefined : bad('"?" is allowed only in day-of-month or day-of-week');
  if (text === '*') return undefined;
  // L, W and # stand alone: they cannot be combined with lists.
  if (f.day === 'month' && /^(L|LW|\d{1,2}W)$/.test(text)) {
    const n = parseInt(text, 10);
    return Number.isNaN(n) || inRange(n, f) ? undefined : bad(`${n} is out of range ${f.min}-${f.max}`);
  }
  if (f.day === 'week') {
    if (text === 'L') return undefined;
    const last = /^([A-Za-z]{3}|\d)L$/.exec(text);
    if (last) return value(last[1]!, f) === undefined ? bad(`unknown day "${last[1]}"`, dayHint(f)) : undefined;
    const nth = /^([A-Za-z]{3}|\d)#(\d)$/.exec(text);
    if (nth) {
      if (value(nth[1]!, f) === undefined) return bad(`unknown day "${nth[1]}"`, dayHint(f));
      const k = Number(nth[2]);
      return k >= 1 && k <= 5 ? undefined : bad(`the week of the month after # must be 1-5, got ${k}`);
    }
  }
  for (const item of text.split(',')) {
    if (item === '') return bad('empty item in the list');
    const m = /^([^/]+)(?:\/(.+))?$/.exec(item);
    if (!m) return bad(`"${item}" is not a value, range or step`);
    const [, base, step] = m as unknown as [string, string, string | undefined];
    if (step !== undefined && !/^\d+$/.test(step)) return bad(`the step "${step}" is not a number`);
    if (step !== undefined && (Number(step) < 1 || Number(step) > f.max)) return bad(`the step ${step} is out of range 1-${f.max}`);
    if (base === '*') continue;
    const range = base.split('-');
    if (range.length > 2) return bad(`"${base}" is not a value or range`);
    const values: number[] = [];
    for (const r of range) {
      const v = value(r, f);
      if (v === undefined) {
        if (/^\d+$/.test(r))
          return bad(`${r} is out of range ${f.min}-${f.max}${f.names ? ` (or ${f.names[0]}-${f.names[f.names.length - 1]})` : ''}`);
        if (r === '?' || r === '*' || /[LW#]/.test(r)) return bad(`"${r}" cannot be part of a list, range or step`);
        return bad(`"${r}" is not a value`, f.names ? dayHint(f) : `a number ${f.min}-${f.max}`);
      }
      values.push(v);
    }
    if (f.name === 'year' && values.length === 2 && values[0]! > values[1]!)
      return bad('the range runs backwards', 'write the earlier year first');
  }
  return undefined;
}

function value(text: string, f: CronField): number | undefined {
  if (/^\d+$/.test(text)) {
    const n = Number(text);
    return inRange(n, f) ? n : undefined;
  }
  const i = f.names?.indexOf(text.toUpperCase()) ?? -1;
  return i >= 0 ? i + 1 : undefined;
}

function inRange(n: number, f: CronField): boolean {
  return n >= f.min && n <= f.max;
}

function dayHint(f: CronField): string {
  return f.names ? `${f.min}-${f.max} or ${f.names.join(', ')}` : `${f.min}-${f.max}`;
}
