// How many seed tasks a collector's start URLs make: for each URL the product
// of the value counts of the list, range and date variables it uses, summed
// over the URLs, computed without expanding them. `collect validate`
// (lint/seeds.ts) and the planner (core/engine/plan.ts) hold it against
// `limits.maxSeeds`.
import type { ResolvedCollector } from './generated/resolved.types.ts';
import { templateVariables } from './template.ts';
import { variableCount } from './variables.ts';

interface UrlSeeds {
  /** Index in `start.urls`. */
  index: number;
  seeds: number;
  /** The variables the URL multiplies over, with their value counts. */
  factors: { name: string; count: number }[];
}

export interface SeedCount {
  /** At most this many seeds (the planner drops URLs that come out the same). */
  total: number;
  urls: UrlSeeds[];
}

export interface SeedCountOptions {
  /** `--var` values: each replaces its variable by one value. */
  overrides?: Readonly<Record<string, string>>;
  now: Date;
  /** The page number or token of a path pagination: a template name that is not a start variable. */
  pathParam?: string | undefined;
}

export function countSeeds(c: Pick<ResolvedCollector, 'start' | 'variables'>, options: SeedCountOptions): SeedCount {
  const overrides = options.overrides ?? {};
  const counts = new Map<string, number>();
  const countOf = (name: string): number | undefined => {
    if (Object.hasOwn(overrides, name)) return 1;
    const variable = Object.hasOwn(c.variables, name) ? c.variables[name] : undefined;
    if (variable === undefined) return undefined;
    let n = counts.get(name);
    if (n === undefined) {
      n = variableCount(variable, options.now);
      counts.set(name, n);
    }
    return n;
  };
  const urls = (c.start.urls ?? []).map((template, index): UrlSeeds => {
    const factors: UrlSeeds['factors'] = [];
    for (const name of templateVariables(template)) {
      if (name === options.pathParam) continue;
      const count = countOf(name);
      if (count !== undefined) factors.push({ name, count });
    }
    return { index, seeds: factors.reduce((product, f) => product * f.count, 1), factors };
  });
  return { total: urls.reduce((sum, u) => sum + u.seeds, 0), urls };
}
