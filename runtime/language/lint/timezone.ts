// IANA time zone names, as EventBridge Scheduler and Luxon accept them.
import { closest } from '../suggest.ts';
import type { Problem } from './problem.ts';

// Intl resolves names case-insensitively ("europe/berlin"), but Scheduler wants the
// name as IANA spells it: each part starts with a capital ("Europe/Berlin", "UTC", "Etc/GMT+5").
const IANA_SPELLING = /^[A-Z][A-Za-z0-9_+-]*(\/[A-Z][A-Za-z0-9_+-]*)*$/;

let known: string[] | undefined;
// Constructing an Intl.DateTimeFormat costs about a tenth of a millisecond; collectors repeat zones.
const cache = new Map<string, Problem | undefined>();

export function checkTimeZone(zone: string): Problem | undefined {
  if (!cache.has(zone)) {
    if (cache.size > 1000) cache.clear();
    cache.set(zone, check(zone));
  }
  return cache.get(zone);
}

function check(zone: string): Problem | undefined {
  const resolved = resolveZone(zone);
  if (resolved && IANA_SPELLING.test(zone)) return undefined;
  known ??= ['UTC', ...Intl.supportedValuesOf('timeZone')];
  const suggestion = resolved ?? closest(zone, known);
  return {
    message: `"${zone}" is not an IANA time zone`,
    hint: suggestion ? `did you mean "${suggestion}"?` : 'e.g. UTC, Europe/Berlin, America/New_York',
  };
}

function resolveZone(zone: string): string | undefined {
  // Offsets ("+01:00") are accepted by newer Intl versions but are not zone names.
  if (!/^[A-Za-z]/.test(zone)) return undefined;
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}
