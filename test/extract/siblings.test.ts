// Items made of sibling elements: `itemUntil` and `itemSiblings`.
import { describe, expect, it } from 'vitest';
import { compileExtractor } from '../../runtime/core/extract/compile.ts';
import { ExtractConfigError, TooManyItemsError } from '../../runtime/core/extract/errors.ts';
import { parsePage } from '../../runtime/core/extract/parse.ts';
import { bookPage, context } from './fixtures.ts';

// The shape of a Hacker News listing: a title row, a row of details, a spacer row.
const NEWS = `<html><body><table><tbody>
<tr class="athing" id="101"><td class="title"><span class="titleline"><a href="/item?id=101">First story</a></span></td></tr>
<tr><td class="subtext"><span class="score">10 points</span> by <a class="hnuser">alice</a></td></tr>
<tr class="spacer"></tr>
<tr class="athing" id="102"><td class="title"><span class="titleline"><a href="/item?id=102">Second story</a></span></td></tr>
<tr><td class="subtext"><span class="score">20 points</span> by <a class="hnuser">bob</a></td></tr>
<tr class="spacer"></tr>
<tr class="athing" id="103"><td class="title"><span class="titleline"><a href="/jobs/103">A job (no score)</a></span></td></tr>
<tr class="spacer"></tr>
<tr class="morespace"><td><span class="score">not a score</span><a class="morelink" href="?p=2">More</a></td></tr>
</tbody></table></body></html>`;

const news = () => parsePage(NEWS, 'text/html', 'https://news.example/');

const fields = {
  id: { attr: 'id', type: 'integer' as const },
  title: 'span.titleline a',
  url: { selector: 'span.titleline a', attr: 'href', type: 'url' as const },
  score: { selector: 'span.score', regex: '(\\d+) points', type: 'integer' as const },
  user: 'a.hnuser',
};

describe('items made of sibling elements', () => {
  it('takes the rows after each match up to `itemUntil`', () => {
    const page = news();
    const { records, errors } = compileExtractor({ items: 'tr.athing', itemUntil: 'tr.spacer', fields }).extract(page, context(page));
    expect(errors).toEqual([]);
    expect(records).toEqual([
      { id: 101, title: 'First story', url: 'https://news.example/item?id=101', score: 10, user: 'alice' },
      { id: 102, title: 'Second story', url: 'https://news.example/item?id=102', score: 20, user: 'bob' },
      { id: 103, title: 'A job (no score)', url: 'https://news.example/jobs/103', score: null, user: null },
    ]);
  });

  it('ends a group at the next item even when `itemUntil` never matches', () => {
    const page = news();
    const { records } = compileExtractor({ items: 'tr.athing', itemUntil: 'tr.athing', fields }).extract(page, context(page));
    expect(records.map((r) => r.score)).toEqual([10, 20, null]);
    // The last group runs to the end of the table: its "More" row is part of it, and its
    // `span.score` matches (the regex then gives nothing).
    const last = compileExtractor({
      items: 'tr.athing',
      itemUntil: 'tr.athing',
      fields: { more: { selector: 'a.morelink', attr: 'href' } },
    });
    expect(last.extract(page, context(page)).records.map((r) => r.more)).toEqual([null, null, '?p=2']);
  });

  it('takes a fixed number of siblings with `itemSiblings`', () => {
    const page = news();
    const one = compileExtractor({ items: 'tr.athing', itemSiblings: 1, fields });
    expect(one.extract(page, context(page)).records.map((r) => [r.id, r.score, r.user])).toEqual([
      [101, 10, 'alice'],
      [102, 20, 'bob'],
      [103, null, null], // its one sibling is the spacer
    ]);
    const none = compileExtractor({ items: 'tr.athing', fields });
    expect(none.extract(page, context(page)).records.map((r) => r.score)).toEqual([null, null, null]);
  });

  it('lets a selector name the group elements themselves', () => {
    const page = news();
    const extractor = compileExtractor({
      items: 'tr.athing',
      itemUntil: 'tr.spacer',
      fields: {
        rows: { selector: 'tr', list: true, html: true },
        details: { selector: 'tr:not(.athing) td.subtext', whitespace: 'keep' },
        all: { whitespace: 'normalize' },
      },
    });
    const [first] = extractor.extract(page, context(page)).records;
    expect(first!.rows).toHaveLength(2);
    expect(first!.details).toBe('10 points by alice');
    // A group without a selector reads as the text of all its elements.
    expect(first!.all).toBe('First story10 points by alice');
  });

  it('reads a <dl> as one item per term with its definitions', () => {
    const page = parsePage(
      '<dl><dt>Colour</dt><dd>red</dd><dd>green</dd><dt>Size</dt><dd>L</dd><dt>Empty</dt></dl>',
      'text/html',
      'https://x.example/',
    );
    const extractor = compileExtractor({ items: 'dt', itemUntil: 'dt', fields: { name: 'dt', values: { selector: 'dd', list: true } } });
    expect(extractor.extract(page, context(page)).records).toEqual([
      { name: 'Colour', values: ['red', 'green'] },
      { name: 'Size', values: ['L'] },
      { name: 'Empty', values: [] },
    ]);
  });

  it('pairs each th of a real product table with its td', () => {
    const page = bookPage(1);
    const extractor = compileExtractor({ items: 'table.table-striped th', itemSiblings: 1, fields: { name: 'th', value: 'td' } });
    const { records } = extractor.extract(page, context(page));
    expect(records).toHaveLength(7);
    expect(records[0]).toEqual({ name: 'UPC', value: 'a897fe39b1053632' });
    expect(records[6]).toEqual({ name: 'Number of reviews', value: '0' });
  });

  it('reads follow.selector links inside the group, aligned with the records', () => {
    const page = news();
    const extractor = compileExtractor(
      { items: 'tr.athing', itemUntil: 'tr.spacer', fields: { title: 'span.titleline a' } },
      { link: { selector: 'a.hnuser', attribute: 'href' } },
    );
    const out = extractor.extract(page, context(page));
    expect(out.records).toHaveLength(3);
    expect(out.links).toEqual([undefined, undefined, undefined]); // no href on the user links
    const withHref = compileExtractor(
      { items: 'tr.athing', itemUntil: 'tr.spacer', fields: { title: 'span.titleline a' } },
      { link: { selector: 'span.titleline a', attribute: 'href' } },
    );
    expect(withHref.extract(page, context(page)).links).toEqual([
      'https://news.example/item?id=101',
      'https://news.example/item?id=102',
      'https://news.example/jobs/103',
    ]);
  });

  it('keeps positional selectors working inside a group', () => {
    const page = parsePage('<div class="a">A</div><p>x1</p><p>x2</p><div class="a">B</div><p>y1</p>', 'text/html', 'https://x.example/');
    const extractor = compileExtractor({
      items: 'div.a',
      itemUntil: 'div.a',
      fields: { first: 'p:first', all: { selector: 'p', list: true } },
    });
    expect(extractor.extract(page, context(page)).records).toEqual([
      { first: 'x1', all: ['x1', 'x2'] },
      { first: 'y1', all: ['y1'] },
    ]);
  });

  it('counts the matches against maxItemsPerPage before reading any', () => {
    const page = news();
    const extractor = compileExtractor({ items: 'tr.athing', itemUntil: 'tr.athing', fields }, { maxItems: 2 });
    expect(() => extractor.extract(page, context(page))).toThrow(TooManyItemsError);
  });

  it('refuses `itemUntil` or `itemSiblings` without `items`', () => {
    expect(() => compileExtractor({ itemUntil: 'tr', fields: { a: 'a' } }, { parse: 'html' })).toThrow(ExtractConfigError);
    expect(() => compileExtractor({ itemSiblings: 1, fields: { a: 'a' } }, { parse: 'html' })).toThrow(/itemSiblings: needs `items`/);
  });
});
