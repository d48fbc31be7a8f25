import { describe, expect, it } from 'vitest';
import { check, docWith } from './helpers.ts';

const PAGINATE = 'to walk the pages of a listing, use paginate';
const url = (...templates: string[]) => ({ 4: `  urls: [${templates.map((t) => `"${t}"`).join(', ')}]` });

describe('limits.maxSeeds', () => {
  it('refuses a range of a hundred million seeds, counted without expanding it', () => {
    const text = docWith(url('https://example.com/p/{{ page }}'), 'variables:', '  page: { range: { from: 1, to: 100000000 } }');
    expect(check(text)).toEqual([
      `collectors/t.yaml:4:10 error start.urls[0]: the start URLs expand to 100000000 seeds, more than limits.maxSeeds (10000): start.urls[0] takes all 100000000 values of page (narrow variables.page.range to at most 10000 values; ${PAGINATE})`,
    ]);
  });

  it('multiplies the variables a URL uses, and says how far to narrow the biggest', () => {
    const text = docWith(
      url('https://example.com/{{ cat }}/{{ page }}'),
      'variables:',
      '  cat: { values: [a, b, c] }',
      '  page: { range: { from: 1, to: 5000 } }',
      '  unused: { range: { from: 1, to: 100000000 } }',
    );
    expect(check(text)).toEqual([
      `collectors/t.yaml:4:10 error start.urls[0]: the start URLs expand to 15000 seeds, more than limits.maxSeeds (10000): start.urls[0] takes every combination of cat (3) x page (5000) = 15000 (narrow variables.page.range to at most 3333 values, or raise limits.maxSeeds to 15000; ${PAGINATE})`,
    ]);
  });

  it('adds up the start URLs and points at the one that makes most', () => {
    const text = docWith(
      url('https://example.com/a/{{ p }}', 'https://example.com/b/{{ q }}'),
      'variables:',
      '  p: { range: { from: 1, to: 6000 } }',
      '  q: { range: { from: 1, to: 14000, step: 2 } }',
    );
    expect(check(text)).toEqual([
      `collectors/t.yaml:4:43 error start.urls[1]: the start URLs expand to 13000 seeds, more than limits.maxSeeds (10000): start.urls[1] takes all 7000 values of q (narrow variables.q.range to at most 4000 values, or raise limits.maxSeeds to 13000; ${PAGINATE})`,
    ]);
  });

  it('counts dates, lists and plain URLs against the collector own limit', () => {
    expect(
      check(docWith(url('https://example.com/{{ d }}'), 'variables:', '  d: { dates: { from: 1900-01-01, to: 2024-01-01 } }')),
    ).toEqual([
      'collectors/t.yaml:4:10 error start.urls[0]: the start URLs expand to 45291 seeds, more than limits.maxSeeds (10000): start.urls[0] takes all 45291 values of d (shorten variables.d.dates to at most 10000 values or take a longer step, or raise limits.maxSeeds to 45291)',
    ]);
    expect(
      check(docWith(url('https://example.com/{{ x }}'), 'variables:', '  x: { values: [a, b, c, d, e, f] }', 'limits: { maxSeeds: 5 }')),
    ).toEqual([
      'collectors/t.yaml:4:10 error start.urls[0]: the start URLs expand to 6 seeds, more than limits.maxSeeds (5): start.urls[0] takes all 6 values of x (keep at most 5 of variables.x.values, or raise limits.maxSeeds to 6)',
    ]);
    expect(
      check(docWith(url('https://example.com/a', 'https://example.com/b', 'https://example.com/c'), 'limits: { maxSeeds: 2 }')),
    ).toEqual([
      'collectors/t.yaml:4:9 error start.urls: the start URLs expand to 3 seeds, more than limits.maxSeeds (2) (raise limits.maxSeeds to 3)',
    ]);
  });

  it('accepts exactly maxSeeds', () => {
    expect(check(docWith(url('https://example.com/p/{{ page }}'), 'variables:', '  page: { range: { from: 1, to: 10000 } }'))).toEqual([]);
    expect(
      check(
        docWith(
          url('https://example.com/{{ d }}/{{ c }}'),
          'variables:',
          '  d: { dates: { from: 2024-01-01, to: 2024-01-05 } }',
          '  c: { values: [a, b] }',
          'limits: { maxSeeds: 10 }',
        ),
      ),
    ).toEqual([]);
  });
});
