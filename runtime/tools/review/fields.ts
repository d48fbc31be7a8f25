// The top-level record fields a collector declares, listing and detail pages together.
import type { Collector } from '../../language/generated/collector.types.ts';
import { declaredFieldNames } from '../../language/page-kinds.ts';

function declaredFields(collector: Collector): string[] {
  return declaredFieldNames(collector);
}

/** Fill rates of every declared field; a field never filled is 0 (the manifest leaves it out). */
export function completeFillRates(collector: Collector, rates: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const name of declaredFields(collector)) out[name] = rates[name] ?? 0;
  for (const [name, rate] of Object.entries(rates)) out[name] ??= rate;
  return out;
}
