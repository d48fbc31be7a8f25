// What `collect try` suggests when `extract.items` matches nothing, on real
// pages of books.toscrape.com and real GitHub API responses. Every suggestion
// must select exactly the count it shows, since the user pastes it as it is.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { selectAll } from 'css-select';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBooksSite, type RunningSite } from '../../demo/sites/books-site.ts';
import { compileJmesPath } from '../../runtime/core/extract/jmespath.ts';
import { parsePage } from '../../runtime/core/extract/parse.ts';
import { htmlItemCandidates, itemCandidates, jsonItemCandidates, type ItemCandidate } from '../../runtime/tools/review/item-candidates.ts';
import { ROOT } from './support.ts';

const fixture = (path: string) => readFileSync(join(ROOT, 'test/fixtures', path), 'utf8');
const html = (text: string) => {
  const page = parsePage(text, 'text/html', 'http://127.0.0.1/', 'html');
  if (page.kind !== 'html') throw new Error('not html');
  return page.doc.root()[0]!;
};
const json = (path: string) => JSON.parse(fixture(path)) as unknown;
const summary = (c: ItemCandidate[]) => c.map((x) => `${x.items} ${x.count}`);

/** The pasted selector gives exactly the elements counted. */
function expectHtmlSelectorsHold(text: string, candidates: ItemCandidate[]): void {
  const root = html(text);
  for (const c of candidates) expect(selectAll(c.items, root), c.items).toHaveLength(c.count);
}

/** The pasted JMESPath gives exactly the objects counted. */
function expectJsonPathsHold(data: unknown, candidates: ItemCandidate[]): void {
  for (const c of candidates) {
    const got = compileJmesPath(c.items)(data);
    expect(Array.isArray(got), c.items).toBe(true);
    expect(
      (got as unknown[]).filter((o) => typeof o === 'object' && o !== null),
      c.items,
    ).toHaveLength(c.count);
  }
}

describe('HTML item candidates', () => {
  let site: RunningSite;
  beforeAll(async () => (site = await startBooksSite({ detailCount: 30, perPage: 20 })));
  afterAll(() => site.close());

  it('on a listing page, suggests the product element, not the list item that wraps it', async () => {
    const text = await (await fetch(`${site.url}/catalogue/page-1.html`)).text();
    const candidates = htmlItemCandidates(html(text));
    expect(candidates[0]).toEqual({ items: 'article.product_pod', count: 20, sample: 'A Light in the Attic £51.77 In stock' });
    // The "<strong>30</strong> results - showing <strong>1</strong> to ..." line is a sentence, not a list.
    expect(candidates.map((c) => c.items)).not.toContain('strong');
    expectHtmlSelectorsHold(text, candidates);
  });

  it('on a book page, suggests the rows of the product table and the breadcrumb', () => {
    const text = fixture('books-toscrape/pages/1.html');
    const candidates = htmlItemCandidates(html(text));
    expect(candidates).toEqual([
      { items: 'tr', count: 7, sample: 'UPC a897fe39b1053632' },
      // Three plain <li> and one <li class="active">: the selector that takes the plain ones takes all four.
      { items: 'ul.breadcrumb > li', count: 4, sample: 'Home' },
    ]);
    expectHtmlSelectorsHold(text, candidates);
  });

  it('ranks the richest repeated elements first: recommended books above the table rows', () => {
    const text = fixture('books-toscrape/pages/57.html');
    const candidates = htmlItemCandidates(html(text));
    expect(summary(candidates)).toEqual([
      'article.product_pod 6',
      'tr 7',
      'ul.breadcrumb > li 4',
      'article.product_page > div.sub-header 3',
    ]);
    expect(candidates[0]!.sample).toMatch(/^Foolproof Preserving: A Guide \.\.\. £30\.52 In stock/);
    // Icons repeat five times in every rating but hold nothing: never suggested.
    expect(candidates.map((c) => c.items).join(' ')).not.toContain('icon-star');
    expectHtmlSelectorsHold(text, candidates);
  });

  it('shortens long samples, escapes class names that are not plain identifiers, and stays within the limit', () => {
    const long = 'word '.repeat(40);
    const rows = (cls: string, n: number) =>
      Array.from({ length: n }, (_, i) => `<div class="${cls}"><a href="/${cls}/${i}">${long}${i}</a></div>`).join('');
    const lists = ['a', 'b', 'c', 'd', 'e', 'f'].map((s) => `<ul class="${s}">${'<li>x</li>'.repeat(3)}</ul>`).join('');
    const text = `<html><body><main>${rows('md:card', 4)}</main><aside>${rows('2col', 3)}</aside>${lists}</body></html>`;
    const candidates = htmlItemCandidates(html(text), 3);
    expect(candidates).toHaveLength(3);
    expect(candidates.slice(0, 2).map((c) => c.items)).toEqual(['div.md\\:card', 'div.\\32 col']);
    expect(candidates[0]!.sample.length).toBeLessThanOrEqual(62);
    expect(candidates[0]!.sample).toMatch(/word …$/);
    expectHtmlSelectorsHold(text, candidates);
  });

  it('finds nothing on a page without repeated content', () => {
    expect(
      htmlItemCandidates(
        html('<html><body><h1>Hello</h1><p>One <b>1</b>, <b>2</b>, <b>3</b></p><p><i></i><i></i><i></i></p></body></html>'),
      ),
    ).toEqual([]);
  });
});

describe('JSON item candidates', () => {
  it('a list of issues is the document itself: []', () => {
    const exchanges = json('github-api/paginate-issues.json') as { response: unknown }[];
    const issues = exchanges[0]!.response;
    const candidates = jsonItemCandidates(issues);
    expect(summary(candidates)).toEqual(['[] 3']);
    expect(candidates[0]!.sample).toMatch(/^url, repository_url, labels_url, comments_url, events_url, html_url, …$/);
    expectJsonPathsHold(issues, candidates);
  });

  it('lists arrays of objects by path, largest first, arrays inside items after the top-level ones', () => {
    const exchanges = json('github-api/paginate-issues.json');
    const candidates = jsonItemCandidates(exchanges);
    expect(summary(candidates)).toEqual(['[] 5', '[].response[] 13']);
    expectJsonPathsHold(exchanges, candidates);

    const errors = json('github-api/errors.json');
    expect(summary(jsonItemCandidates(errors))).toEqual(['[] 1', '[].response.errors[] 1']);
    expect(jsonItemCandidates(errors)[1]!.sample).toBe('resource, code, field');
    expectJsonPathsHold(errors, jsonItemCandidates(errors));
  });

  it('writes keys as JMESPath (quoted when not identifiers) and skips lists that are not all objects', () => {
    const issues = (json('github-api/paginate-issues.json') as { response: Record<string, unknown>[] }[]).flatMap((e) => e.response);
    const data = {
      total: issues.length,
      data: { 'open-issues': issues, ids: issues.map((i) => i.id), mixed: [issues[0], 1] },
      meta: { pages: [{ n: 1 }, { n: 2 }] },
    };
    const candidates = jsonItemCandidates(data);
    expect(summary(candidates)).toEqual(['data."open-issues" 13', 'meta.pages 2']);
    expectJsonPathsHold(data, candidates);
  });

  it('puts the items before the lists inside each item, even when those hold more objects', () => {
    const items = Array.from({ length: 4 }, (_, id) => ({ id, tags: [{ t: 'a' }, { t: 'b' }, { t: 'c' }] }));
    const data = { data: { items } };
    const candidates = jsonItemCandidates(data);
    expect(candidates).toEqual([
      { items: 'data.items', count: 4, sample: 'id, tags' },
      { items: 'data.items[].tags[]', count: 12, sample: 't' },
    ]);
    expectJsonPathsHold(data, candidates);
  });

  it('finds nothing in a document without arrays of objects', () => {
    expect(jsonItemCandidates({ a: 1, b: [1, 2], c: { d: 'x' } })).toEqual([]);
    expect(jsonItemCandidates(null)).toEqual([]);
    expect(itemCandidates({ kind: 'json', url: 'http://127.0.0.1/', data: [] })).toEqual([]);
  });
});
