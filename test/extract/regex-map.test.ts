import { describe, expect, it } from 'vitest';
import { compileExtractor } from '../../runtime/core/extract/compile.ts';
import { ExtractConfigError } from '../../runtime/core/extract/errors.ts';
import { parsePage } from '../../runtime/core/extract/parse.ts';
import { bookPage, context } from './fixtures.ts';

const RATINGS = { One: 1, Two: 2, Three: 3, Four: 4, Five: 5 };

describe('regex and map', () => {
  it('turns the rating class into a number: regex, then map', () => {
    const extractor = compileExtractor({
      fields: { rating: { selector: 'div.product_main p.star-rating', attr: 'class', regex: 'star-rating (\\w+)', map: RATINGS } },
    });
    const ratings = [1, 2, 3, 10, 100, 200].map((n) => {
      const page = bookPage(n);
      return extractor.extract(page, context(page)).records[0]!.rating;
    });
    expect(ratings).toEqual([3, 1, 4, 1, 3, 4]);
  });

  it('maps before `type`, and keeps unmapped values', () => {
    const page = parsePage('[{"s":"Three"},{"s":"Seven"},{"s":"4"}]', 'application/json', 'https://x.example/');
    const mapped = compileExtractor({ items: '[]', fields: { r: { path: 's', map: { ...RATINGS, '4': 'Four' } } } });
    const typed = compileExtractor({ items: '[]', fields: { r: { path: 's', map: RATINGS, type: 'integer' } } });
    expect(mapped.extract(page, context(page)).records.map((r) => r.r)).toEqual([3, 'Seven', 'Four']);
    expect(typed.extract(page, context(page)).records.map((r) => r.r)).toEqual([3, null, 4]);
  });

  it('keeps the first capture group, or the whole match without a group', () => {
    const page = bookPage(1);
    const extractor = compileExtractor({
      fields: {
        available: { selector: 'p.instock.availability', regex: '\\((\\d+) available\\)', type: 'integer' },
        whole: { selector: 'p.instock.availability', regex: '\\d+ available' },
        pence: { selector: 'p.price_color', regex: '£\\d+\\.(\\d+)' },
      },
    });
    expect(extractor.extract(page, context(page)).records[0]).toEqual({ available: 22, whole: '22 available', pence: '77' });
  });

  it('gives null when the regex does not match', () => {
    const page = bookPage(1);
    const extractor = compileExtractor({ fields: { isbn: { selector: 'h1', regex: 'ISBN (\\d+)' } } });
    expect(extractor.extract(page, context(page)).records[0]).toEqual({ isbn: null });
  });

  it('applies regex to each element of a list and drops the misses', () => {
    const page = bookPage(157);
    const extractor = compileExtractor({
      fields: { ids: { selector: 'article.product_pod h3 a', attr: 'href', list: true, regex: '_(\\d+)/index\\.html$', type: 'integer' } },
    });
    expect(extractor.extract(page, context(page)).records[0]).toEqual({ ids: [849, 853, 904, 908, 910, 943] });
  });

  it('accepts a leading (?i) flag as written in other languages', () => {
    const page = bookPage(1);
    const extractor = compileExtractor({ fields: { word: { selector: 'p.instock', regex: '(?i)(IN STOCK)' } } });
    expect(extractor.extract(page, context(page)).records[0]).toEqual({ word: 'In stock' });
  });

  it('rejects an invalid regex when compiled', () => {
    expect(() => compileExtractor({ fields: { x: { selector: 'h1', regex: '(unclosed' } } })).toThrow(ExtractConfigError);
    expect(() => compileExtractor({ fields: { x: { selector: 'h1', regex: '(unclosed' } } })).toThrow(/field "x": invalid regex/);
  });
});
