import { describe, expect, it } from 'vitest';
import { compileExtractor } from '../../runtime/core/extract/compile.ts';
import { parsePage } from '../../runtime/core/extract/parse.ts';
import { bookPage, context, issuesPage } from './fixtures.ts';

describe('nested fields', () => {
  it('makes a list of objects scoped to each matched element (HTML)', () => {
    const page = bookPage(1);
    const extractor = compileExtractor({
      fields: {
        product: { selector: 'table.table-striped tr', list: true, fields: { name: 'th', value: 'td' } },
      },
    });
    expect(extractor.extract(page, context(page)).records[0]).toEqual({
      product: [
        { name: 'UPC', value: 'a897fe39b1053632' },
        { name: 'Product Type', value: 'Books' },
        { name: 'Price (excl. tax)', value: '£51.77' },
        { name: 'Price (incl. tax)', value: '£51.77' },
        { name: 'Tax', value: '£0.00' },
        { name: 'Availability', value: 'In stock (22 available)' },
        { name: 'Number of reviews', value: '0' },
      ],
    });
  });

  it('makes one object without `list`, and nests further', () => {
    const page = bookPage(5);
    const extractor = compileExtractor({
      fields: {
        main: {
          selector: 'div.product_main',
          fields: {
            title: 'h1',
            price: { selector: 'p.price_color', type: 'number' },
            rating: { selector: 'p.star-rating', attr: 'class', regex: 'star-rating (\\w+)' },
          },
        },
        related: {
          selector: 'article.product_pod',
          list: true,
          fields: {
            title: { selector: 'h3 a', attr: 'title' },
            offer: { selector: 'div.product_price', fields: { price: { selector: '.price_color', type: 'number' } } },
          },
        },
      },
    });
    const record = extractor.extract(page, context(page)).records[0]!;
    expect(record.main).toEqual({ title: 'Sapiens: A Brief History of Humankind', price: 54.23, rating: 'Five' });
    expect(record.related).toEqual([
      { title: 'Sharp Objects', offer: { price: 47.82 } },
      { title: 'Soumission', offer: { price: 50.1 } },
      { title: 'Tipping the Velvet', offer: { price: 53.74 } },
      { title: 'A Light in the Attic', offer: { price: 51.77 } },
    ]);
  });

  it('gives null when the nested element is missing and [] for an empty list', () => {
    const page = bookPage(1);
    const extractor = compileExtractor({
      fields: { none: { selector: 'div.nope', fields: { a: 'a' } }, nothing: { selector: 'div.nope', list: true, fields: { a: 'a' } } },
    });
    expect(extractor.extract(page, context(page)).records[0]).toEqual({ none: null, nothing: [] });
  });

  it('scopes nested JMESPath to the matched value (JSON)', () => {
    const page = issuesPage(1);
    const extractor = compileExtractor({
      items: '[]',
      fields: {
        number: 'number',
        user: { path: 'user', fields: { login: 'login', admin: 'site_admin', kind: 'type' } },
        reactions: { path: 'reactions', fields: { total: 'total_count', heart: 'heart' } },
      },
    });
    expect(extractor.extract(page, context(page)).records).toEqual(
      [10, 9, 8].map((number) => ({
        number,
        user: { login: 'octokit-fixture-user-a', admin: false, kind: 'User' },
        reactions: { total: 0, heart: 0 },
      })),
    );
  });

  it('makes a list of objects from a JSON list', () => {
    const page = parsePage(
      JSON.stringify({
        order: {
          lines: [
            { sku: 'A1', qty: '2', price: '£3.50' },
            { sku: 'B2', qty: '1', price: '£10.00' },
          ],
        },
      }),
      'application/json',
      'https://shop.example.com/orders/1',
    );
    const extractor = compileExtractor({
      fields: {
        lines: {
          path: 'order.lines',
          list: true,
          fields: { sku: 'sku', qty: { path: 'qty', type: 'integer' }, price: { path: 'price', type: 'number' } },
        },
      },
    });
    expect(extractor.extract(page, context(page)).records[0]).toEqual({
      lines: [
        { sku: 'A1', qty: 2, price: 3.5 },
        { sku: 'B2', qty: 1, price: 10 },
      ],
    });
  });

  it('drops a list element that lacks a required nested field, keeping the record', () => {
    const page = bookPage(1);
    const extractor = compileExtractor({
      fields: {
        crumbs: { selector: 'ul.breadcrumb li', list: true, fields: { href: { selector: 'a', attr: 'href', required: true }, text: {} } },
      },
    });
    const { records, errors } = extractor.extract(page, context(page));
    expect(errors).toEqual([]);
    expect(records[0]!.crumbs).toEqual([
      { href: '../../index.html', text: 'Home' },
      { href: '../category/books_1/index.html', text: 'Books' },
      { href: '../category/books/poetry_23/index.html', text: 'Poetry' },
    ]);
  });

  it('reports the nested field when a required object fails for it', () => {
    const page = bookPage(1);
    const extractor = compileExtractor({
      fields: {
        main: { selector: 'div.product_main', required: true, fields: { title: 'h1', isbn: { selector: '.isbn', required: true } } },
      },
    });
    const { records, errors } = extractor.extract(page, context(page));
    expect(records).toEqual([]);
    expect(errors).toEqual([{ field: 'main.isbn', message: 'selector ".isbn" matches nothing', item: 0 }]);
  });
});
