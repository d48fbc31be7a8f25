import { describe, expect, it } from 'vitest';
import { compileExtractor } from '../../runtime/core/extract/compile.ts';
import { ExtractConfigError } from '../../runtime/core/extract/errors.ts';
import { parseNumber } from '../../runtime/core/extract/number.ts';
import { parsePage } from '../../runtime/core/extract/parse.ts';
import { bookPage, context, issuesPage } from './fixtures.ts';

function jsonValues(values: unknown[], field: Record<string, unknown>): unknown[] {
  const page = parsePage(JSON.stringify(values.map((v) => ({ v }))), 'application/json', 'https://api.example.com/list');
  const extractor = compileExtractor({ items: '[]', fields: { v: { path: 'v', ...field } } });
  return extractor.extract(page, context(page)).records.map((r) => r.v);
}

describe('numbers', () => {
  it('reads prices and counts from a real page', () => {
    const page = bookPage(1);
    const extractor = compileExtractor({
      fields: {
        price: { selector: 'p.price_color', type: 'number' },
        tax: { selector: 'table tr:nth-child(5) td', type: 'number' },
        available: { selector: 'p.instock.availability', regex: '\\((\\d+) available', type: 'integer' },
        prose: { selector: 'p.instock.availability', type: 'integer' },
        reviews: { selector: 'table tr:nth-child(7) td', type: 'integer' },
      },
    });
    expect(extractor.extract(page, context(page)).records[0]).toEqual({ price: 51.77, tax: 0, available: 22, prose: null, reviews: 0 });
  });

  it.each([
    ['£51.77', 51.77],
    ['1,234', 1234],
    ['1,234,567.5', 1234567.5],
    ['1.234,56 €', 1234.56],
    ['1 234,5', 1234.5],
    ["1'234.50 CHF", 1234.5],
    ['12,5', 12.5],
    ['1.234', 1.234],
    ['-£5.00', -5],
    ['$ .5', 0.5],
    ['USD 99', 99],
    ['1.5e3', 1500],
    ['  42 ', 42],
    ['12 kg', 12],
    ['15%', 15],
    ['kr 1.299,00', 1299],
    ['−3', -3],
  ])('parses %j as %d', (text, expected) => {
    expect(parseNumber(text)).toBe(expected);
  });

  it.each(['abc', '', '12 of 34', '1,2,3', '1.2.3,4.5', '--', 'In stock (22 available)', 'Test issue 13'])(
    'does not make a number of %j',
    (text) => {
      expect(parseNumber(text)).toBeNull();
    },
  );

  it('gives null for values that are not numbers, and keeps JSON numbers', () => {
    expect(jsonValues(['abc', 3.5, '7', true, null], { type: 'number' })).toEqual([null, 3.5, 7, null, null]);
    expect(jsonValues(['4.5', 4.5, '1,234', 12], { type: 'integer' })).toEqual([null, null, 1234, 12]);
  });
});

describe('booleans, strings, urls', () => {
  it('reads true/false/yes/no/1/0 in any case', () => {
    expect(jsonValues(['true', 'FALSE', 'Yes', 'no', '1', '0', 1, 0, true, 'maybe', 2], { type: 'boolean' })).toEqual([
      true,
      false,
      true,
      false,
      true,
      false,
      true,
      false,
      true,
      null,
      null,
    ]);
  });

  it('turns scalars into strings', () => {
    expect(jsonValues([42, true, 'x', { a: 1 }], { type: 'string' })).toEqual(['42', 'true', 'x', '{"a":1}']);
  });

  it('makes URLs absolute against the page URL', () => {
    const page = bookPage(5);
    const extractor = compileExtractor({ items: 'article.product_pod', fields: { url: { selector: 'h3 a', attr: 'href', type: 'url' } } });
    expect(extractor.extract(page, context(page)).records.map((r) => r.url)).toEqual([
      'https://books.toscrape.com/catalogue/sharp-objects_997/index.html',
      'https://books.toscrape.com/catalogue/soumission_998/index.html',
      'https://books.toscrape.com/catalogue/tipping-the-velvet_999/index.html',
      'https://books.toscrape.com/catalogue/a-light-in-the-attic_1000/index.html',
    ]);
  });

  it('resolves against <base href> when the page has one', () => {
    const page = parsePage(
      '<html><head><base href="/shop/"></head><body><a href="item/1">x</a></body></html>',
      'text/html',
      'https://example.com/a/b/c.html',
    );
    const extractor = compileExtractor({ fields: { url: { selector: 'a', attr: 'href', type: 'url' } } });
    expect(extractor.extract(page, context(page)).records[0]).toEqual({ url: 'https://example.com/shop/item/1' });
  });
});

describe('dates', () => {
  it('reads ISO 8601 and gives UTC instants', () => {
    const page = issuesPage(0);
    const extractor = compileExtractor({ items: '[]', fields: { created: { path: 'created_at', type: 'date' } } });
    expect(extractor.extract(page, context(page)).records[0]).toEqual({ created: '2017-10-10T16:00:00.000Z' });
  });

  it('reads RFC 2822 and HTTP dates without a format', () => {
    expect(jsonValues(['Tue, 10 Oct 2017 18:00:00 +0200', 'Tue, 10 Oct 2017 16:00:00 GMT'], { type: 'date' })).toEqual([
      '2017-10-10T16:00:00.000Z',
      '2017-10-10T16:00:00.000Z',
    ]);
  });

  it('parses with `format` in `timezone`', () => {
    // London is on summer time (UTC+1) in July and on GMT in January.
    expect(
      jsonValues(['01 Jul 2024 10:30', '15 Jan 2024 10:30'], { type: 'date', format: 'dd MMM yyyy HH:mm', timezone: 'Europe/London' }),
    ).toEqual(['2024-07-01T09:30:00.000Z', '2024-01-15T10:30:00.000Z']);
    expect(jsonValues(['2024-03-01 23:15'], { type: 'date', format: 'yyyy-MM-dd HH:mm', timezone: 'America/New_York' })).toEqual([
      '2024-03-02T04:15:00.000Z',
    ]);
    expect(jsonValues(['2024-03-01 23:15'], { type: 'date', format: 'yyyy-MM-dd HH:mm' })).toEqual(['2024-03-01T23:15:00.000Z']);
  });

  it('applies `timezone` only to dates without an offset of their own', () => {
    expect(jsonValues(['2024-07-01T10:00', '2024-07-01T10:00Z'], { type: 'date', timezone: 'Europe/Berlin' })).toEqual([
      '2024-07-01T08:00:00.000Z',
      '2024-07-01T10:00:00.000Z',
    ]);
  });

  it('reads epoch seconds and milliseconds', () => {
    expect(jsonValues([1507651200, 1507651200000], { type: 'date' })).toEqual(['2017-10-10T16:00:00.000Z', '2017-10-10T16:00:00.000Z']);
  });

  it('gives null for text that is not a date', () => {
    expect(jsonValues(['yesterday-ish', '31 Feb 2024'], { type: 'date', format: 'dd MMM yyyy' })).toEqual([null, null]);
    expect(jsonValues(['not a date'], { type: 'date' })).toEqual([null]);
  });

  it('rejects an unknown time zone at compile time', () => {
    expect(() => compileExtractor({ fields: { d: { path: 'd', type: 'date', timezone: 'Europe/Atlantis' } } })).toThrow(ExtractConfigError);
    expect(() => compileExtractor({ fields: { d: { path: 'd', type: 'date', timezone: 'Europe/Atlantis' } } })).toThrow(/Europe\/Atlantis/);
  });
});
