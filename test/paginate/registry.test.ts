// A pagination strategy is one file, one schema branch and one registry line:
// this checks that the three agree, and that every strategy answers for every
// concern (request slot, template names, lint, explain, fan-out).
import { describe, expect, it } from 'vitest';
import schema from '../../schemas/collector.schema.json' with { type: 'json' };
import { STRATEGIES, strategyOf } from '../../runtime/core/paginate/registry.ts';
import type { Collector, Pagination } from '../../runtime/language/generated/collector.types.ts';
import { resolveCollector } from '../../runtime/language/resolve.ts';

const paginate = schema.properties.paginate as {
  properties: { type: { enum: string[] } };
  oneOf: { properties: { type: { const: string } } }[];
};
const branches = paginate.oneOf.map((b) => b.properties.type.const);

/** A minimal, valid pagination block of each strategy. */
const examples: Record<string, Pagination> = {
  'next-link': { type: 'next-link', selector: 'a.next' },
  'page-number': { type: 'page-number', in: 'path' },
  offset: { type: 'offset', limit: 20 },
  cursor: { type: 'cursor', tokenPath: 'next', param: 'cursor' },
};

const resolved = (p: Pagination) =>
  resolveCollector({
    name: 'x',
    start: { urls: ['https://x.test/{{ page }}'] },
    extract: { fields: { a: 'b' } },
    output: 's3://b/p',
    paginate: p,
  } satisfies Collector).paginate!;

describe('the pagination registry', () => {
  it('has one entry per schema branch, and the type enum lists exactly those', () => {
    expect(Object.keys(STRATEGIES).sort()).toEqual([...branches].sort());
    expect([...paginate.properties.type.enum].sort()).toEqual([...branches].sort());
    expect(Object.keys(examples).sort()).toEqual([...branches].sort());
  });

  for (const type of branches) {
    it(`${type}: answers for the request, the templates, lint, explain and fan-out`, () => {
      const spec = resolved(examples[type]!);
      const strategy = strategyOf(spec);
      expect(strategy).toBe(STRATEGIES[type as keyof typeof STRATEGIES]);
      const slot = strategy.slot(spec);
      if (slot) expect(['query', 'header', 'body', 'path']).toContain(slot.in);
      expect(Array.isArray(strategy.fixedParams(spec))).toBe(true);
      expect(strategy.templateNames(spec).every((n) => /^[A-Za-z_]\w*$/.test(n))).toBe(true);
      expect(strategy.lint(spec, 'auto')).toEqual([]);
      const described = strategy.describe(spec);
      expect(described.how.length).toBeGreaterThan(10);
      expect(typeof strategy.fansOut(spec)).toBe('boolean');
      expect(typeof strategy.paginator(spec).next).toBe('function');
    });
  }

  it("puts a path strategy's value in the URL template it names", () => {
    const spec = resolved({ type: 'page-number', in: 'path', param: 'p' });
    expect(strategyOf(spec).templateNames(spec)).toEqual(['p']);
    expect(strategyOf(spec).slot(spec)).toEqual({ param: 'p', in: 'path' });
  });
});
