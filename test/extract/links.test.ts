import { describe, expect, it } from 'vitest';
import { compileExtractor } from '../../runtime/core/extract/compile.ts';
import { parseLinkHeader, searchJson, selectLink } from '../../runtime/core/extract/links.ts';
import { parsePage } from '../../runtime/core/extract/parse.ts';
import { bookPage, context, githubIssues, issuesPage } from './fixtures.ts';

describe('item links (follow.selector)', () => {
  it('gives one absolute link per record, in the same order', () => {
    const page = bookPage(157);
    const extractor = compileExtractor(
      { items: 'article.product_pod', fields: { price: { selector: '.price_color', type: 'number' } } },
      { link: { selector: 'h3 a', attribute: 'href' } },
    );
    const { records, links } = extractor.extract(page, context(page));
    expect(records.map((r) => r.price)).toEqual([37.6, 37.34, 40.11, 14.02, 33.37, 56.41]);
    expect(links).toHaveLength(6);
    expect(links[0]).toBe(
      'https://books.toscrape.com/catalogue/the-love-and-lemons-cookbook-an-apple-to-zucchini-celebration-of-impromptu-cooking_849/index.html',
    );
    expect(links[5]).toBe(
      'https://books.toscrape.com/catalogue/the-pioneer-woman-cooks-dinnertime-comfort-classics-freezer-food-16-minute-meals-and-other-delicious-ways-to-solve-supper_943/index.html',
    );
  });

  it('reads another attribute, and leaves a hole where an item has none', () => {
    const page = bookPage(1);
    const extractor = compileExtractor({ items: 'ul.breadcrumb li', fields: { text: {} } }, { link: { selector: 'a', attribute: 'href' } });
    expect(extractor.extract(page, context(page)).links).toEqual([
      'https://books.toscrape.com/index.html',
      'https://books.toscrape.com/catalogue/category/books_1/index.html',
      'https://books.toscrape.com/catalogue/category/books/poetry_23/index.html',
      undefined,
    ]);
    const images = compileExtractor({ fields: { title: 'h1' } }, { link: { selector: '#product_gallery img', attribute: 'src' } });
    expect(images.extract(page, context(page)).links).toEqual([
      'https://books.toscrape.com/media/cache/fe/72/fe72f0532301ec28892ae79a629a293c.jpg',
    ]);
  });

  it('gives no links on JSON pages (follow.field is used there)', () => {
    const page = issuesPage(0);
    const extractor = compileExtractor({ items: '[]', fields: { url: 'html_url' } }, { link: { selector: 'a', attribute: 'href' } });
    expect(extractor.extract(page, context(page)).links).toEqual([]);
  });
});

describe('selectLink', () => {
  it('gives the first match as an absolute URL', () => {
    const page = bookPage(1);
    expect(selectLink(page, 'ul.breadcrumb a')).toBe('https://books.toscrape.com/index.html');
    expect(selectLink(page, 'ul.breadcrumb li:last-child a')).toBeUndefined();
    expect(selectLink(page, 'ul.breadcrumb li:nth-child(3) a', 'HREF')).toBe(
      'https://books.toscrape.com/catalogue/category/books/poetry_23/index.html',
    );
    expect(selectLink(page, 'li.next a')).toBeUndefined();
  });

  it('ignores links that are not http(s), and works only on HTML', () => {
    const page = parsePage(
      '<a class="next" href="javascript:void(0)">next</a><a class="mail" href="mailto:x@y.z">m</a>',
      'text/html',
      'https://example.com/',
    );
    expect(selectLink(page, 'a.next')).toBeUndefined();
    expect(selectLink(page, 'a.mail')).toBeUndefined();
    expect(selectLink(issuesPage(0), 'a')).toBeUndefined();
  });
});

describe('searchJson', () => {
  it('evaluates JMESPath on a JSON page', () => {
    const page = issuesPage(0);
    expect(searchJson(page, 'length(@)')).toBe(3);
    expect(searchJson(page, '[0].user.login')).toBe('octokit-fixture-user-a');
    expect(searchJson(page, '[].number')).toEqual([13, 12, 11]);
    expect(searchJson(page, 'meta.next')).toBeNull();
  });

  it('gives undefined on an HTML page', () => {
    expect(searchJson(bookPage(1), 'a')).toBeUndefined();
  });
});

describe('parseLinkHeader', () => {
  const headers = githubIssues().map((r) => r.headers.link!);

  it('reads the recorded GitHub Link headers', () => {
    const base = 'https://api.github.com/repositories/1000/issues?per_page=3';
    expect(parseLinkHeader(headers[0]!)).toEqual({ next: `${base}&page=2`, last: `${base}&page=5` });
    expect(parseLinkHeader(headers[1]!)).toEqual({
      prev: `${base}&page=1`,
      next: `${base}&page=3`,
      last: `${base}&page=5`,
      first: `${base}&page=1`,
    });
    expect(parseLinkHeader(headers[4]!)).toEqual({ prev: `${base}&page=4`, first: `${base}&page=1` });
    expect(headers.map((h) => parseLinkHeader(h).next)).toEqual([
      `${base}&page=2`,
      `${base}&page=3`,
      `${base}&page=4`,
      `${base}&page=5`,
      undefined,
    ]);
  });

  it('handles several rels, unquoted rels, case and odd spacing', () => {
    expect(parseLinkHeader('<https://x.example/p/2>;rel="next last" ,<https://x.example/p/1> ;  REL=Prev')).toEqual({
      next: 'https://x.example/p/2',
      last: 'https://x.example/p/2',
      prev: 'https://x.example/p/1',
    });
  });

  it('respects <...> and quotes around commas and semicolons', () => {
    const header =
      '<https://x.example/search?q=a,b;c>; title="Page 2, of many; really"; rel="next", <https://x.example/search?q=a,b&p=9>; rel="last"';
    expect(parseLinkHeader(header)).toEqual({ next: 'https://x.example/search?q=a,b;c', last: 'https://x.example/search?q=a,b&p=9' });
  });

  it('keeps the first link of a rel and the first rel parameter of a link', () => {
    expect(parseLinkHeader('<https://a.example/1>; rel="next", <https://a.example/2>; rel="next"')).toEqual({
      next: 'https://a.example/1',
    });
    expect(parseLinkHeader('<https://a.example/1>; rel="next"; rel="last"')).toEqual({ next: 'https://a.example/1' });
  });

  it('resolves relative targets against a base when given', () => {
    expect(parseLinkHeader('</items?page=2>; rel="next"', 'https://api.example.com/items?page=1')).toEqual({
      next: 'https://api.example.com/items?page=2',
    });
    expect(parseLinkHeader('</items?page=2>; rel="next"')).toEqual({ next: '/items?page=2' });
  });

  it('gives nothing for an empty or rel-less header', () => {
    expect(parseLinkHeader('')).toEqual({});
    expect(parseLinkHeader('<https://a.example/1>; title="x"')).toEqual({});
    expect(parseLinkHeader('garbage')).toEqual({});
  });
});
