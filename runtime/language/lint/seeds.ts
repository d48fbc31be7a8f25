// `limits.maxSeeds`: the start URLs may not expand to more seeds than that.
// Counted, not expanded (language/seeds.ts), so a range of a hundred million
// is refused here in microseconds instead of filling the memory of a run.
import { strategyOf } from '../../core/paginate/registry.ts';
import type { Collector } from '../generated/collector.types.ts';
import type { ResolvedCollector } from '../generated/resolved.types.ts';
import type { Issue } from '../issue.ts';
import { resolveCollector } from '../resolve.ts';
import { countSeeds, type SeedCount } from '../seeds.ts';

/** The schema's ceiling of `limits.maxSeeds`. */
const MAX_SEEDS_CEILING = 1_000_000;

export function lintSeeds(c: Collector): Issue[] {
  const r = resolveCollector(c);
  const max = r.limits.maxSeeds;
  let count: SeedCount;
  try {
    count = countSeeds(r, { now: new Date(), pathParam: pathParamOf(r) });
  } catch {
    // A date that does not read: lint/dates.ts reports it.
    return [];
  }
  if (count.total <= max) return [];
  const raise = count.total <= MAX_SEEDS_CEILING ? `raise limits.maxSeeds to ${count.total}` : '';
  const worst = count.urls.reduce((a, b) => (b.seeds > a.seeds ? b : a));
  const message = `the start URLs expand to ${count.total} seeds, more than limits.maxSeeds (${max})`;
  if (worst.factors.length === 0) {
    // Many plain URLs, none of them multiplied.
    return [{ path: ['start', 'urls'], message, hint: raise || 'list fewer start URLs, or split the collector in two' }];
  }
  const biggest = worst.factors.reduce((a, b) => (b.count > a.count ? b : a));
  const takes =
    worst.factors.length === 1
      ? `all ${biggest.count} values of ${biggest.name}`
      : `every combination of ${worst.factors.map((f) => `${f.name} (${f.count})`).join(' x ')} = ${worst.seeds}`;
  const variable = c.variables?.[biggest.name];
  const range = typeof variable === 'object' && variable.range !== undefined;
  // How many values the biggest variable may keep, the rest of the seeds as they are.
  const fits = Math.floor((max - (count.total - worst.seeds)) / (worst.seeds / biggest.count));
  const atMost = fits >= 1 ? ` to at most ${fits} values` : '';
  const narrow = range
    ? `narrow variables.${biggest.name}.range${atMost}`
    : typeof variable === 'object' && variable.dates
      ? `shorten variables.${biggest.name}.dates${atMost} or take a longer step`
      : `${fits >= 1 ? `keep at most ${fits} of` : 'list fewer'} variables.${biggest.name}.values`;
  return [
    {
      path: ['start', 'urls', worst.index],
      message: `${message}: start.urls[${worst.index}] takes ${takes}`,
      hint: `${narrow}${raise ? `, or ${raise}` : ''}${range ? '; to walk the pages of a listing, use paginate' : ''}`,
    },
  ];
}

function pathParamOf(r: ResolvedCollector): string | undefined {
  if (!r.paginate) return undefined;
  const slot = strategyOf(r.paginate).slot(r.paginate);
  return slot?.in === 'path' ? slot.param : undefined;
}
