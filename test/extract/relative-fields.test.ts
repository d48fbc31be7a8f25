// Fields read from somewhere other than their item: `from: page`, `closest`, `previous`, `next`.
import { describe, expect, it } from 'vitest';
import { compileExtractor } from '../../runtime/core/extract/compile.ts';
import { ExtractConfigError } from '../../runtime/core/extract/errors.ts';
import { parsePage } from '../../runtime/core/extract/parse.ts';
import { bookPage, context, issuesPage } from './fixtures.ts';

const SHOP = `<html><body>
<h1>Spring catalogue</h1>
<section class="cat"><h2>Fiction</h2>
  <ul><li><a href="/b/1">Dune</a></li><li><a href="/b/2">Emma</a></li></ul>
</section>
<section class="cat"><h2>Poetry</h2>
  <ul><li><a href="/b/3">Odes</a></li></ul>
</section>
<h3>Loose list</h3>
<ul class="loose"><li><a href="/b/4">Ulysses</a></li></ul>
<dl><dt>Author</dt><dd>Herbert</dd><dt>Year</dt><dd>1965</dd></dl>
</body></html>`;

const shop = () => parsePage(SHOP, 'text/html', 'https://shop.example/list');

describe('fields relative to the item', () => {
  it('reads a section heading above the list with `closest`', () => {
    const page = shop();
    const extractor = compileExtractor({
      items: 'section li',
      fields: { title: 'a', category: { closest: 'section', selector: 'h2' }, section: { closest: 'section', attr: 'class' } },
    });
    expect(extractor.extract(page, context(page)).records).toEqual([
      { title: 'Dune', category: 'Fiction', section: 'cat' },
      { title: 'Emma', category: 'Fiction', section: 'cat' },
      { title: 'Odes', category: 'Poetry', section: 'cat' },
    ]);
  });

  it('reads the heading just before a list with `closest` then `previous`', () => {
    const page = shop();
    const extractor = compileExtractor({ items: 'li', fields: { title: 'a', heading: { closest: 'ul', previous: 'h2, h3' } } });
    // Each list's nearest earlier sibling that is a heading: the sections' <h2>s, then the <h3>.
    expect(extractor.extract(page, context(page)).records.map((r) => r.heading)).toEqual(['Fiction', 'Fiction', 'Poetry', 'Loose list']);
  });

  it('reads the next sibling with `next` (a definition list)', () => {
    const page = shop();
    const extractor = compileExtractor({ items: 'dt', fields: { name: { whitespace: 'normalize' }, value: { next: 'dd' } } });
    expect(extractor.extract(page, context(page)).records).toEqual([
      { name: 'Author', value: 'Herbert' },
      { name: 'Year', value: '1965' },
    ]);
  });

  it('gives every record a page-level value with `from: page`', () => {
    const page = shop();
    const extractor = compileExtractor({
      items: 'li',
      fields: { title: 'a', catalogue: { from: 'page', selector: 'h1' }, url: { from: 'page', selector: 'h1', regex: '(\\w+)' } },
    });
    const { records } = extractor.extract(page, context(page));
    expect(records).toHaveLength(4);
    expect(records.every((r) => r.catalogue === 'Spring catalogue' && r.url === 'Spring')).toBe(true);
  });

  it('reads a page-level value of a real page into each row of its table', () => {
    const page = bookPage(1);
    const extractor = compileExtractor({
      items: 'table.table-striped tr',
      fields: { name: 'th', book: { from: 'page', selector: 'h1' }, crumb: { from: 'page', selector: 'ul.breadcrumb li:nth-child(3) a' } },
    });
    const { records } = extractor.extract(page, context(page));
    expect(records[0]).toEqual({ name: 'UPC', book: 'A Light in the Attic', crumb: 'Poetry' });
  });

  it('reads `from: page` on a JSON page', () => {
    const page = issuesPage(0);
    const extractor = compileExtractor({ items: '[]', fields: { number: 'number', first: { from: 'page', path: '[0].number' } } });
    const { records } = extractor.extract(page, context(page));
    expect(records.length).toBeGreaterThan(1);
    expect(new Set(records.map((r) => r.first))).toEqual(new Set([records[0]!.number]));
  });

  it('gives no value when the walk finds nothing, and drops a required record', () => {
    const page = shop();
    const extractor = compileExtractor({ items: 'dd', fields: { name: { closest: 'section', selector: 'h2', required: true } } });
    const { records, errors } = extractor.extract(page, context(page));
    expect(records).toEqual([]);
    expect(errors).toHaveLength(2);
    expect(errors[0]).toMatchObject({ field: 'name' });
  });

  it("starts a group item's walks from its first element (closest, previous) or its last (next)", () => {
    const page = parsePage(
      '<section><h2>S</h2><p class="lead">before</p><div class="a">A</div><div class="b">B</div><p class="tail">after</p></section>',
      'text/html',
      'https://x.example/',
    );
    const extractor = compileExtractor({
      items: 'div.a',
      itemSiblings: 1,
      fields: { s: { closest: 'section', selector: 'h2' }, before: { previous: 'p' }, after: { next: 'p' } },
    });
    expect(extractor.extract(page, context(page)).records).toEqual([{ s: 'S', before: 'before', after: 'after' }]);
  });

  it('refuses relative options on JSON pages and bad selectors', () => {
    expect(() => compileExtractor({ fields: { a: { path: 'a', closest: 'div' } } }, { parse: 'json' })).toThrow(
      /`closest` applies to HTML and XML pages/,
    );
    expect(() => compileExtractor({ fields: { a: { closest: 'div[' } } }, { parse: 'html' })).toThrow(ExtractConfigError);
  });
});
