import { describe, expect, it } from 'vitest';
import { planSeeds } from '../../runtime/core/engine/plan.ts';
import { resolveDate, variableValues } from '../../runtime/language/variables.ts';
import type { Collector, Variable } from '../../runtime/language/generated/collector.types.ts';
import { resolveCollector } from '../../runtime/language/resolve.ts';

const base: Collector = { name: 'v', start: { urls: ['https://x.test/'] }, extract: { fields: { a: 'h1' } }, output: 's3://b/p' };
const now = new Date('2024-03-10T22:30:00Z');
/** A variable as written, with its defaults. */
const variable = (v: Variable) => resolveCollector({ ...base, variables: { v } }).variables.v!;

describe('start variables', () => {
  it('expands lists, ranges and dates into every combination', () => {
    const c: Collector = {
      ...base,
      variables: { host: 'https://x.test', cat: { values: ['a', 'b'] }, n: { range: { from: 1, to: 3 } } },
      start: { urls: ['{{ host }}/{{ cat }}/{{ n }}'] },
    };
    const urls = planSeeds(resolveCollector(c), { runId: '20240310T223000Z', now }).map((t) => t.url);
    expect(urls).toEqual([
      'https://x.test/a/1',
      'https://x.test/a/2',
      'https://x.test/a/3',
      'https://x.test/b/1',
      'https://x.test/b/2',
      'https://x.test/b/3',
    ]);
  });

  it('reads relative dates in the given time zone', () => {
    expect(variableValues(variable({ dates: { from: '-2d', to: 'today' } }), now)).toEqual(['2024-03-08', '2024-03-09', '2024-03-10']);
    // 22:30 UTC is already the 11th in Tokyo
    expect(variableValues(variable({ dates: { from: 'yesterday', timezone: 'Asia/Tokyo', format: 'yyyyMMdd' } }), now)).toEqual([
      '20240310',
      '20240311',
    ]);
    expect(variableValues(variable({ dates: { from: '2024-01-31', to: '2024-04-01', step: '1m' } }), now)).toEqual([
      '2024-01-31',
      '2024-02-29',
      '2024-03-31',
    ]);
  });

  it('refuses a date it cannot read', () => {
    expect(() => resolveDate('last tuesday', 'UTC', now)).toThrow(/not a date/);
  });

  it('lets --var override a declared variable', () => {
    const c: Collector = { ...base, variables: { cat: { values: ['a', 'b'] } }, start: { urls: ['https://x.test/{{ cat }}'] } };
    expect(planSeeds(resolveCollector(c), { runId: '20240310T223000Z', overrides: { cat: 'z' } }).map((t) => t.url)).toEqual([
      'https://x.test/z',
    ]);
  });

  it('gives each seed a deterministic id within a run', () => {
    const a = planSeeds(resolveCollector(base), { runId: '20240310T223000Z' });
    const b = planSeeds(resolveCollector(base), { runId: '20240310T223000Z' });
    const c = planSeeds(resolveCollector(base), { runId: '20240311T223000Z' });
    expect(a[0]!.id).toBe(b[0]!.id);
    expect(a[0]!.id).not.toBe(c[0]!.id);
  });

  it('carries --var values to every task, for headers and bodies too', () => {
    const c: Collector = { ...base, variables: { token: 'from-spec' }, request: { headers: { Authorization: 'Bearer {{ token }}' } } };
    const [task] = planSeeds(resolveCollector(c), { runId: '20240310T223000Z', overrides: { token: 'from-cli' } });
    expect(task!.vars).toEqual({ token: 'from-cli' });
  });
});
