import { describe, expect, it } from 'vitest';
import { compileExtractor } from '../../runtime/core/extract/compile.ts';
import { ExtractConfigError } from '../../runtime/core/extract/errors.ts';
import { parsePage } from '../../runtime/core/extract/parse.ts';
import { bookPage, context, issuesPage } from './fixtures.ts';

describe('required fields', () => {
  it('drops a record without a required field and reports it with the item index', () => {
    const page = bookPage(1);
    // The last breadcrumb item has no link.
    const extractor = compileExtractor({
      items: 'ul.breadcrumb li',
      fields: { text: {}, href: { selector: 'a', attr: 'href', required: true } },
    });
    const { records, errors } = extractor.extract(page, context(page));
    expect(records.map((r) => r.text)).toEqual(['Home', 'Books', 'Poetry']);
    expect(errors).toEqual([{ field: 'href', message: 'selector "a" matches nothing', item: 3 }]);
  });

  it('says why: nothing matched, the regex missed, or the value did not convert', () => {
    const page = bookPage(1);
    const run = (field: Record<string, unknown>) =>
      compileExtractor({ fields: { title: 'h1', x: { ...field, required: true } } }).extract(page, context(page));
    expect(run({ selector: 'span.isbn' }).errors).toEqual([{ field: 'x', message: 'selector "span.isbn" matches nothing', item: 0 }]);
    expect(run({ selector: 'h1', regex: 'ISBN (\\d+)' }).errors).toEqual([
      { field: 'x', message: 'regex /ISBN (\\d+)/ does not match "A Light in the Attic"', item: 0 },
    ]);
    expect(run({ selector: 'h1', type: 'number' }).errors).toEqual([
      { field: 'x', message: 'cannot read "A Light in the Attic" as number', item: 0 },
    ]);
    expect(run({ selector: 'h1', type: 'number' }).records).toEqual([]);
  });

  it('gives null without an error when an optional value does not convert', () => {
    const page = bookPage(1);
    const { records, errors } = compileExtractor({ fields: { title: { selector: 'h1', type: 'number' } } }).extract(page, context(page));
    expect(records).toEqual([{ title: null }]);
    expect(errors).toEqual([]);
  });

  it('counts an empty list and empty text as missing', () => {
    const page = parsePage('<div class="i"><p> </p></div><div class="i"><p>x</p><b>1</b></div>', 'text/html', 'https://x.example/');
    const extractor = compileExtractor({
      items: 'div.i',
      fields: { p: { selector: 'p', required: true }, bs: { selector: 'b', list: true, required: true } },
    });
    const { records, errors } = extractor.extract(page, context(page));
    expect(records).toEqual([{ p: 'x', bs: ['1'] }]);
    expect(errors).toEqual([{ field: 'p', message: 'no value', item: 0 }]);
  });

  it('keeps records and links aligned when records are dropped', () => {
    const page = bookPage(5);
    const extractor = compileExtractor(
      {
        items: 'article.product_pod',
        fields: { title: { selector: 'h3 a', attr: 'title' }, five: { selector: 'p.star-rating.One', attr: 'class', required: true } },
      },
      { link: { selector: 'h3 a', attribute: 'href' } },
    );
    const { records, links, errors } = extractor.extract(page, context(page));
    expect(records.map((r) => r.title)).toEqual(['Soumission', 'Tipping the Velvet']);
    expect(links).toEqual([
      'https://books.toscrape.com/catalogue/soumission_998/index.html',
      'https://books.toscrape.com/catalogue/tipping-the-velvet_999/index.html',
    ]);
    expect(errors.map((e) => e.item)).toEqual([0, 3]);
  });

  it('reports required JSON fields too', () => {
    const page = issuesPage(0);
    const extractor = compileExtractor({ items: '[]', fields: { number: 'number', closed: { path: 'closed_at', required: true } } });
    const { records, errors } = extractor.extract(page, context(page));
    expect(records).toEqual([]);
    expect(errors).toEqual([0, 1, 2].map((item) => ({ field: 'closed', message: 'no value', item })));
  });
});

describe('defaults', () => {
  it('fills a missing or null value, and satisfies `required`', () => {
    const page = issuesPage(0);
    const extractor = compileExtractor({
      items: '[]',
      fields: {
        closed: { path: 'closed_at', default: 'open' },
        milestone: { path: 'milestone.title', default: null },
        labels: { path: 'labels[].name', list: true, default: ['none'] },
        body: { path: 'body', default: '', required: false },
        assignee: { path: 'assignee.login', default: 'nobody', required: true },
        bad: { path: 'title', type: 'integer', default: 0 },
      },
    });
    const { records, errors } = extractor.extract(page, context(page));
    expect(errors).toEqual([]);
    expect(records[0]).toEqual({ closed: 'open', milestone: null, labels: ['none'], body: '', assignee: 'nobody', bad: 0 });
  });

  it('leaves present values alone', () => {
    const page = bookPage(1);
    const extractor = compileExtractor({
      fields: { title: { selector: 'h1', default: 'untitled' }, isbn: { selector: '.isbn', default: 'n/a' } },
    });
    expect(extractor.extract(page, context(page)).records[0]).toEqual({ title: 'A Light in the Attic', isbn: 'n/a' });
  });

  it('rejects a default that is not plain JSON', () => {
    expect(() => compileExtractor({ fields: { d: { selector: 'h1', default: new Date(0) } } })).toThrow(ExtractConfigError);
  });
});
