import { load } from 'cheerio/slim';
import { describe, expect, it } from 'vitest';
import { compileExtractor } from '../../runtime/core/extract/compile.ts';
import { ExtractConfigError } from '../../runtime/core/extract/errors.ts';
import { bookHtml, bookPage, context } from './fixtures.ts';

describe('HTML fields on a real books.toscrape.com page', () => {
  const page = bookPage(1);

  it('makes the whole page one record when `items` is omitted', () => {
    const extractor = compileExtractor({
      fields: {
        title: 'h1',
        price: 'p.price_color',
        stock: 'p.instock.availability',
        upc: 'table tr:nth-child(1) td',
        image: { selector: '#product_gallery img', attr: 'src' },
        alt: { selector: '#product_gallery img', attr: 'ALT' },
      },
    });
    const { records, errors } = extractor.extract(page, context(page));
    expect(errors).toEqual([]);
    expect(records).toEqual([
      {
        title: 'A Light in the Attic',
        price: '£51.77',
        stock: 'In stock (22 available)',
        upc: 'a897fe39b1053632',
        image: '../../media/cache/fe/72/fe72f0532301ec28892ae79a629a293c.jpg',
        alt: 'A Light in the Attic',
      },
    ]);
  });

  it('decodes entities in text', () => {
    const p = bookPage(12);
    expect(compileExtractor({ fields: { title: 'h1' } }).extract(p, context(p)).records[0]).toEqual({ title: "Shakespeare's Sonnets" });
  });

  it('normalises white space by default and keeps it on request', () => {
    const extractor = compileExtractor({
      fields: {
        normal: 'p.instock.availability',
        kept: { selector: 'p.instock.availability', whitespace: 'keep' },
      },
    });
    const record = extractor.extract(page, context(page)).records[0]!;
    expect(record.normal).toBe('In stock (22 available)');
    expect(record.kept).toMatch(/^\n\s+\n\s+In stock \(22 available\)\n\s+$/);
  });

  it('takes inner HTML with `html: true`', () => {
    const extractor = compileExtractor({
      fields: { price: { selector: 'p.price_color', html: true }, row: { selector: 'table tr', html: true } },
    });
    expect(extractor.extract(page, context(page)).records[0]).toEqual({ price: '£51.77', row: '<th>UPC</th><td>a897fe39b1053632</td>' });
  });

  it('takes every match with `list: true`, in document order', () => {
    const extractor = compileExtractor({
      fields: { crumbs: { selector: 'ul.breadcrumb li', list: true }, headers: { selector: 'table th', list: true } },
    });
    expect(extractor.extract(page, context(page)).records[0]).toEqual({
      crumbs: ['Home', 'Books', 'Poetry', 'A Light in the Attic'],
      headers: ['UPC', 'Product Type', 'Price (excl. tax)', 'Price (incl. tax)', 'Tax', 'Availability', 'Number of reviews'],
    });
  });

  it('gives null for a selector that matches nothing and [] for such a list', () => {
    const extractor = compileExtractor({
      fields: {
        missing: 'div.no-such-thing',
        none: { selector: 'div.no-such-thing', list: true },
        noAttr: { selector: 'h1', attr: 'data-x' },
      },
    });
    expect(extractor.extract(page, context(page)).records[0]).toEqual({ missing: null, none: [], noAttr: null });
  });

  it('supports jQuery positional pseudos through cheerio', () => {
    const extractor = compileExtractor({
      fields: { category: 'ul.breadcrumb li:eq(2) a', first: 'ul.breadcrumb li:first', last: 'table tr:last td' },
    });
    expect(extractor.extract(page, context(page)).records[0]).toEqual({ category: 'Poetry', first: 'Home', last: '0' });
  });
});

describe('HTML items', () => {
  it('makes one record per item, fields relative to the item', () => {
    const page = bookPage(5);
    const extractor = compileExtractor({
      items: 'article.product_pod',
      fields: {
        title: { selector: 'h3 a', attr: 'title' },
        price: 'p.price_color',
        rating: { selector: 'p.star-rating', attr: 'class' },
      },
    });
    const { records, errors, links } = extractor.extract(page, context(page));
    expect(errors).toEqual([]);
    expect(links).toEqual([]);
    expect(records).toEqual([
      { title: 'Sharp Objects', price: '£47.82', rating: 'star-rating Four' },
      { title: 'Soumission', price: '£50.10', rating: 'star-rating One' },
      { title: 'Tipping the Velvet', price: '£53.74', rating: 'star-rating One' },
      { title: 'A Light in the Attic', price: '£51.77', rating: 'star-rating Three' },
    ]);
  });

  it('gives no records for an items selector that matches nothing', () => {
    const page = bookPage(1);
    const { records, errors } = compileExtractor({ items: 'article.product_pod', fields: { title: 'h3 a' } }).extract(page, context(page));
    expect(records).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('reads the item element itself when a field has no selector', () => {
    const page = bookPage(1);
    const extractor = compileExtractor({ items: 'ul.breadcrumb li', fields: { text: {}, link: { selector: 'a', attr: 'href' } } });
    expect(extractor.extract(page, context(page)).records).toEqual([
      { text: 'Home', link: '../../index.html' },
      { text: 'Books', link: '../category/books_1/index.html' },
      { text: 'Poetry', link: '../category/books/poetry_23/index.html' },
      { text: 'A Light in the Attic', link: null },
    ]);
  });

  it('scopes descendant selectors to the item, as cheerio `.find()` does', () => {
    const page = bookPage(1);
    // Every row is inside a table, but "table td" asks for a table inside the row.
    const extractor = compileExtractor({ items: 'table tr', fields: { scoped: 'table td', plain: 'td', child: '> th' } });
    const { records } = extractor.extract(page, context(page));
    expect(records).toHaveLength(7);
    expect(records[0]).toEqual({ scoped: null, plain: 'a897fe39b1053632', child: 'UPC' });
    const $ = load(bookHtml(1));
    expect($('table tr').first().find('table td').length).toBe(0);
  });

  it('agrees with hand-written cheerio on all 200 real pages', () => {
    const extractor = compileExtractor({
      items: 'article.product_pod',
      fields: {
        title: { selector: 'h3 a', attr: 'title' },
        href: { selector: 'div.image_container a', attr: 'href' },
        price: 'div.product_price p.price_color',
        stock: '.product_price .instock',
        rating: { selector: 'p.star-rating', attr: 'class' },
      },
    });
    const page1 = compileExtractor({
      fields: { title: 'h1', upc: 'table tr:nth-child(1) td', crumbs: { selector: '.breadcrumb a', list: true } },
    });
    let items = 0;
    for (let n = 1; n <= 200; n++) {
      const html = bookHtml(n);
      const $ = load(html);
      const expected = $('article.product_pod')
        .toArray()
        .map((el) => {
          const $el = $(el);
          return {
            title: $el.find('h3 a').attr('title') ?? null,
            href: $el.find('div.image_container a').attr('href') ?? null,
            price: $el.find('div.product_price p.price_color').first().text().trim(),
            stock: $el.find('.product_price .instock').first().text().replace(/\s+/g, ' ').trim(),
            rating: $el.find('p.star-rating').attr('class') ?? null,
          };
        });
      const page = bookPage(n);
      const { records, errors } = extractor.extract(page, context(page));
      expect(errors).toEqual([]);
      expect(records).toEqual(expected);
      items += records.length;
      expect(page1.extract(page, context(page)).records).toEqual([
        {
          title: $('h1').first().text(),
          upc: $('table tr:nth-child(1) td').first().text(),
          crumbs: $('.breadcrumb a')
            .toArray()
            .map((a) => $(a).text().trim()),
        },
      ]);
    }
    expect(items).toBeGreaterThan(500);
  });
});

describe('selector mistakes', () => {
  it('are reported when the extractor is compiled for HTML', () => {
    expect(() => compileExtractor({ items: 'div[', fields: { a: 'a' } }, { parse: 'html' })).toThrow('items: invalid CSS selector "div["');
    expect(() => compileExtractor({ fields: { a: 'p:nope' } }, { parse: 'html' })).toThrow(
      /^field "a": invalid CSS selector "p:nope": Unknown pseudo-class :nope$/,
    );
    expect(() => compileExtractor({ fields: { a: { selector: 'p', fields: { b: 'b[' } } } }, { parse: 'html' })).toThrow(
      /^field "a\.b": invalid CSS selector/,
    );
    expect(() => compileExtractor({ fields: { a: 'a' } }, { parse: 'html', link: { selector: 'a[', attribute: 'href' } })).toThrow(
      /^follow\.selector: invalid CSS selector/,
    );
  });

  it('surface on the first HTML page when the kind is decided per response', () => {
    const extractor = compileExtractor({ fields: { a: 'p:nope' } });
    const page = bookPage(1);
    expect(() => extractor.extract(page, context(page))).toThrow(ExtractConfigError);
  });
});
