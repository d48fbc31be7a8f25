// How often a schedule fires in an average month (365.25 / 12 days): the
// multiplier of every monthly cost. Cron day rules (L, W, #) are counted on a
// real calendar over four years, so leap days and short months weigh right.

export interface ScheduleFrequency {
  runsPerMonth: number;
  /** In words, e.g. "once a day at 06:00", "every 15 minutes", "once (at ...)". */
  description: string;
}

class ScheduleExpressionError extends Error {
  override readonly name = 'ScheduleExpressionError';
}

const MINUTES_PER_MONTH = (365.25 * 24 * 60) / 12;
const UNIT_MINUTES: Record<string, number> = { minute: 1, hour: 60, day: 1440 };

export function scheduleFrequency(expression: string): ScheduleFrequency {
  const m = /^(cron|rate|at)\((.*)\)$/s.exec(expression.trim());
  if (!m) throw new ScheduleExpressionError(`"${expression}" is not a schedule expression`);
  const inner = m[2]!.trim();
  if (m[1] === 'at') return { runsPerMonth: 0, description: `once, at ${inner} (no monthly runs)` };
  if (m[1] === 'rate') {
    const r = /^(\d+)\s+(minute|hour|day)s?$/.exec(inner);
    if (!r) throw new ScheduleExpressionError(`rate(${inner}) is not a rate`);
    const n = Number(r[1]);
    const every = n * UNIT_MINUTES[r[2]!]!;
    return { runsPerMonth: MINUTES_PER_MONTH / every, description: n === 1 ? `every ${r[2]}` : `every ${n} ${r[2]}s` };
  }
  return cronFrequency(inner);
}

export function runsPerMonth(expression: string): number {
  return scheduleFrequency(expression).runsPerMonth;
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const WEEKDAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
/** Four years from a leap year: 1,461 days, the average month exactly. */
const CYCLE_START = Date.UTC(2024, 0, 1);
const CYCLE_DAYS = 1461;

function cronFrequency(inner: string): ScheduleFrequency {
  const parts = inner.split(/\s+/);
  if (parts.length !== 6) throw new ScheduleExpressionError(`cron(${inner}) needs 6 fields`);
  const [min, hour, dom, month, dow] = parts as [string, string, string, string, string, string];
  const minutes = valueSet(min, 0, 59);
  const hours = valueSet(hour, 0, 23);
  const months = valueSet(month, 1, 12, MONTHS);
  const dayMatches = dom === '?' ? weekdayRule(dow) : monthDayRule(dom);
  let days = 0;
  for (let i = 0; i < CYCLE_DAYS; i++) {
    const d = new Date(CYCLE_START + i * 86_400_000);
    if (months.has(d.getUTCMonth() + 1) && dayMatches(d)) days++;
  }
  const runsPerDay = minutes.size * hours.size;
  const runsPerMonth = (days / 4 / 12) * runsPerDay;
  const at =
    minutes.size === 1 && hours.size === 1
      ? ` at ${pad([...hours][0]!)}:${pad([...minutes][0]!)}`
      : ` (${runsPerDay} times on each day it runs)`;
  const dayWords =
    dom === '?' && dow === '*'
      ? 'every day'
      : dom === '*' && dow === '?'
        ? 'every day'
        : `on ${(days / 4).toFixed(days % 4 === 0 ? 0 : 2)} days a year`;
  const suffix = parts[5] !== '*' ? ` in the years ${parts[5]}` : '';
  return { runsPerMonth, description: `${dayWords}${at}${suffix}` };
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** Values of a cron field: `*`, numbers, names, ranges (wrapping), steps and lists. */
export function valueSet(text: string, min: number, max: number, names?: readonly string[]): Set<number> {
  const out = new Set<number>();
  const value = (t: string): number => {
    if (/^\d+$/.test(t)) return Number(t);
    const i = names?.indexOf(t.toUpperCase()) ?? -1;
    if (i < 0) throw new ScheduleExpressionError(`"${t}" is not a cron value`);
    return i + 1;
  };
  for (const item of text.split(',')) {
    const [base, stepText] = item.split('/') as [string, string | undefined];
    const step = stepText ? Number(stepText) : 1;
    let from = min;
    let to = max;
    if (base !== '*' && base !== '?') {
      const [a, b] = base.split('-') as [string, string | undefined];
      from = value(a);
      to = b !== undefined ? value(b) : stepText ? max : from;
    }
    const span = to >= from ? to - from : to + (max - min + 1) - from;
    for (let k = 0; k <= span; k += step) out.add(((from - min + k) % (max - min + 1)) + min);
  }
  return out;
}

function daysInMonth(d: Date): number {
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
}

function isWeekday(year: number, month: number, day: number): boolean {
  const w = new Date(Date.UTC(year, month, day)).getUTCDay();
  return w !== 0 && w !== 6;
}

/** The weekday nearest to `day` within its month (the `W` rule). */
function nearestWeekday(d: Date, day: number): number {
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth();
  const last = daysInMonth(d);
  const target = Math.min(day, last);
  if (isWeekday(y, m, target)) return target;
  const w = new Date(Date.UTC(y, m, target)).getUTCDay();
  if (w === 6) return target > 1 ? target - 1 : target + 2;
  return target < last ? target + 1 : target - 2;
}

function monthDayRule(dom: string): (d: Date) => boolean {
  if (dom === '*') return () => true;
  if (dom === 'L') return (d) => d.getUTCDate() === daysInMonth(d);
  if (dom === 'LW') return (d) => d.getUTCDate() === nearestWeekday(d, daysInMonth(d));
  const w = /^(\d+)W$/.exec(dom);
  if (w) return (d) => d.getUTCDate() === nearestWeekday(d, Number(w[1]));
  const set = valueSet(dom, 1, 31);
  return (d) => set.has(d.getUTCDate());
}

function weekdayRule(dow: string): (d: Date) => boolean {
  const day = (d: Date) => d.getUTCDay() + 1;
  if (dow === '*') return () => true;
  if (dow === 'L') return (d) => day(d) === 7;
  const last = /^([A-Za-z]{3}|\d)L$/.exec(dow);
  if (last) {
    const target = [...valueSet(last[1]!, 1, 7, WEEKDAYS)][0]!;
    return (d) => day(d) === target && d.getUTCDate() + 7 > daysInMonth(d);
  }
  const nth = /^([A-Za-z]{3}|\d)#(\d)$/.exec(dow);
  if (nth) {
    const target = [...valueSet(nth[1]!, 1, 7, WEEKDAYS)][0]!;
    const k = Number(nth[2]);
    return (d) => day(d) === target && Math.ceil(d.getUTCDate() / 7) === k;
  }
  const set = valueSet(dow, 1, 7, WEEKDAYS);
  return (d) => set.has(day(d));
}
