// Start variables: dates must be readable and ranges must not run backwards,
// or a run silently plans no requests at all.
import { resolveDate } from '../variables.ts';
import type { Collector } from '../generated/collector.types.ts';
import type { Issue } from '../issue.ts';
import { checkTimeZone } from './timezone.ts';

const DATE_FORMS = 'today, yesterday, -7d, +1w, -1m or yyyy-MM-dd';
/** Relative dates are compared on a fixed day so the result does not depend on when validation runs. */
const REFERENCE_DAY = new Date(Date.UTC(2024, 0, 15));

export function lintVariables(c: Collector): Issue[] {
  const issues: Issue[] = [];
  for (const [name, v] of Object.entries(c.variables ?? {})) {
    if (typeof v !== 'object') continue;
    if (v.range && v.range.from > v.range.to) {
      issues.push({
        path: ['variables', name, 'range', 'to'],
        message: `the range runs backwards: from ${v.range.from} to ${v.range.to}`,
        hint: 'from must not be greater than to',
      });
    }
    const d = v.dates;
    if (!d) continue;
    const base = ['variables', name, 'dates'];
    let zone = 'UTC';
    if (d.timezone !== undefined) {
      const tz = checkTimeZone(d.timezone);
      if (tz) issues.push({ path: [...base, 'timezone'], ...tz });
      else zone = d.timezone;
    }
    const from = readDate(d.from, zone);
    const to = readDate(d.to ?? 'today', zone);
    if (from === undefined) issues.push({ path: [...base, 'from'], message: `"${d.from}" is not a date`, hint: DATE_FORMS });
    if (to === undefined) issues.push({ path: [...base, 'to'], message: `"${d.to}" is not a date`, hint: DATE_FORMS });
    if (from !== undefined && to !== undefined && from > to) {
      issues.push({
        path: [...base, d.to === undefined ? 'from' : 'to'],
        message: `the date range runs backwards: from ${d.from} to ${d.to ?? 'today'}`,
        hint: 'from must not be later than to',
      });
    }
  }
  return issues;
}

function readDate(text: string, zone: string): number | undefined {
  if (!/^(today|yesterday|[+-]\d+[dwm]|\d{4}-\d{2}-\d{2})$/.test(text)) return undefined;
  try {
    return resolveDate(text, zone, REFERENCE_DAY).toMillis();
  } catch {
    return undefined;
  }
}
