// Seeds are counted before they are made: the count agrees with the expansion,
// and the planner refuses a collector over limits.maxSeeds without expanding it.
import { describe, expect, it } from 'vitest';
import { planSeeds, TooManySeedsError } from '../../runtime/core/engine/plan.ts';
import type { Collector, Variable } from '../../runtime/language/generated/collector.types.ts';
import { resolveCollector } from '../../runtime/language/resolve.ts';
import { countSeeds } from '../../runtime/language/seeds.ts';
import { variableCount, variableValues } from '../../runtime/language/variables.ts';

const base: Collector = { name: 'v', start: { urls: ['https://x.test/'] }, extract: { fields: { a: 'h1' } }, output: 's3://b/p' };
const now = new Date('2024-03-10T22:30:00Z');
const variable = (v: Variable) => resolveCollector({ ...base, variables: { v } }).variables.v!;

describe('variableCount', () => {
  it.each<[string, Variable]>([
    ['a constant', 'x'],
    ['a list', { values: ['a', 'b', 3] }],
    ['a range', { range: { from: 1, to: 10 } }],
    ['a range with a step', { range: { from: -5, to: 17, step: 4 } }],
    ['a range of one', { range: { from: 7, to: 7 } }],
    ['a backwards range', { range: { from: 5, to: 1 } }],
    ['days', { dates: { from: '-30d', to: 'today' } }],
    ['days with a step', { dates: { from: '2023-12-01', to: '2024-03-01', step: '3d' } }],
    ['days across a DST change', { dates: { from: '2024-03-01', to: '2024-04-15', timezone: 'Europe/Berlin' } }],
    ['weeks', { dates: { from: '2023-01-01', to: '2024-01-01', step: '2w' } }],
    ['months from the 31st', { dates: { from: '2023-01-31', to: '2024-03-30', step: '1m' } }],
    ['months with a step', { dates: { from: '2020-02-29', to: '2024-02-28', step: '5m' } }],
    ['backwards dates', { dates: { from: 'today', to: '-3d' } }],
  ])('agrees with the values of %s', (_, v) => {
    const resolved = variable(v);
    expect(variableCount(resolved, now)).toBe(variableValues(resolved, now).length);
  });

  it('counts a range of a hundred million without making it', () => {
    expect(variableCount(variable({ range: { from: 1, to: 100_000_000 } }), now)).toBe(100_000_000);
    expect(variableCount(variable({ dates: { from: '0001-01-01', to: '9999-12-31' } }), now)).toBe(3_652_059);
  });
});

describe('countSeeds', () => {
  it('multiplies per URL, adds up the URLs, and counts a --var as one value', () => {
    const c = resolveCollector({
      ...base,
      variables: { cat: { values: ['a', 'b'] }, page: { range: { from: 1, to: 3 } }, host: 'https://x.test' },
      start: { urls: ['{{ host }}/{{ cat }}/{{ page }}', '{{ host }}/all/{{ page }}', '{{ host }}/'] },
    });
    expect(countSeeds(c, { now }).total).toBe(6 + 3 + 1);
    expect(countSeeds(c, { now, overrides: { page: '9' } }).total).toBe(2 + 1 + 1);
    expect(countSeeds(c, { now, pathParam: 'page' }).total).toBe(2 + 1 + 1);
  });
});

describe('planSeeds and limits.maxSeeds', () => {
  const big: Collector = {
    ...base,
    variables: { page: { range: { from: 1, to: 100_000_000 } } },
    start: { urls: ['https://x.test/p/{{ page }}'] },
  };

  it('refuses a collector that expands beyond maxSeeds before it makes any seed', () => {
    const plan = () => planSeeds(resolveCollector(big), { runId: '20240310T223000Z', now });
    expect(plan).toThrow(TooManySeedsError);
    expect(plan).toThrow('the start URLs expand to 100000000 seeds, more than limits.maxSeeds (10000)');
    const small = resolveCollector({ ...big, limits: { maxSeeds: 3 }, variables: { page: { values: [1, 2, 3, 4] } } });
    expect(() => planSeeds(small, { runId: '20240310T223000Z', now })).toThrow(TooManySeedsError);
  });

  it('plans it when a --var replaces the big variable, without expanding the variables no template uses', () => {
    const c = resolveCollector({ ...big, variables: { ...big.variables, unused: { range: { from: 1, to: 500_000_000 } } } });
    const tasks = planSeeds(c, { runId: '20240310T223000Z', now, overrides: { page: '42' } });
    expect(tasks.map((t) => t.url)).toEqual(['https://x.test/p/42']);
  });

  it('plans exactly maxSeeds', () => {
    const c = resolveCollector({ ...big, limits: { maxSeeds: 4 }, variables: { page: { values: [1, 2, 3, 4] } } });
    expect(planSeeds(c, { runId: '20240310T223000Z', now })).toHaveLength(4);
  });
});
