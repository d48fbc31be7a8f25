// HTML inside JSON: `path` finds an HTML string, `selector` reads it with CSS.
import { describe, expect, it } from 'vitest';
import { compileExtractor } from '../../runtime/core/extract/compile.ts';
import { NestingTooDeepError } from '../../runtime/core/extract/errors.ts';
import { parsePage } from '../../runtime/core/extract/parse.ts';
import { context, issuesPage } from './fixtures.ts';

const API = JSON.stringify({
  posts: [
    {
      id: 1,
      body_html: '<p>See <a href="/docs/a">A</a> and <a href="https://other.example/b">B</a>.</p><ul><li>one</li><li>two</li></ul>',
      author: { bio: '<span class="name">Ada</span> <em>engineer</em>' },
    },
    { id: 2, body_html: '<p>No links here.</p>', author: { bio: null } },
  ],
});

const page = () => parsePage(API, 'application/json', 'https://api.example/v1/posts');

describe('HTML inside JSON values', () => {
  it('selects in the HTML a path gives: attributes, lists, text, urls made absolute', () => {
    const p = page();
    const extractor = compileExtractor({
      items: 'posts',
      fields: {
        id: 'id',
        links: { path: 'body_html', selector: 'a', attr: 'href', list: true, type: 'url' },
        first: { path: 'body_html', selector: 'li:first' },
        text: { path: 'body_html', selector: 'p' },
        name: { path: 'author.bio', selector: 'span.name' },
        inner: { path: 'body_html', selector: 'ul', html: true },
      },
    });
    expect(extractor.extract(p, context(p)).records).toEqual([
      {
        id: 1,
        links: ['https://api.example/docs/a', 'https://other.example/b'],
        first: 'one',
        text: 'See A and B.',
        name: 'Ada',
        inner: '<li>one</li><li>two</li>',
      },
      { id: 2, links: [], first: null, text: 'No links here.', name: null, inner: null },
    ]);
  });

  it('reads nested fields in the fragment', () => {
    const p = page();
    const extractor = compileExtractor({
      items: 'posts',
      fields: {
        anchors: { path: 'body_html', selector: 'a', list: true, fields: { label: { whitespace: 'normalize' }, href: { attr: 'href' } } },
      },
    });
    expect(extractor.extract(p, context(p)).records[0]).toEqual({
      anchors: [
        { label: 'A', href: '/docs/a' },
        { label: 'B', href: 'https://other.example/b' },
      ],
    });
  });

  it('leaves the field empty, not failed, where a real API value is plain text', () => {
    const p = issuesPage(0);
    const extractor = compileExtractor({ items: '[]', fields: { title: 'title', body: { path: 'title', selector: 'b' } } });
    // Titles are plain text, not HTML: the selector finds nothing and the field is empty, not an error.
    const { records, errors } = extractor.extract(p, context(p));
    expect(errors).toEqual([]);
    expect(records.every((r) => r.body === null && typeof r.title === 'string')).toBe(true);
  });

  it('gives no value for a path that is not a string, and reports a required one', () => {
    const p = page();
    const extractor = compileExtractor({ items: 'posts', fields: { x: { path: 'id', selector: 'a', required: true } } });
    const { records, errors } = extractor.extract(p, context(p));
    expect(records).toEqual([]);
    expect(errors[0]).toMatchObject({ field: 'x', message: '"id" gives no HTML text' });
  });

  it('refuses a fragment nested past the page ceiling', () => {
    const deep = { html: `${'<div>'.repeat(600)}x${'</div>'.repeat(600)}` };
    const p = parsePage(JSON.stringify(deep), 'application/json', 'https://api.example/deep');
    expect(() => compileExtractor({ fields: { x: { path: 'html', selector: 'div' } } }).extract(p, context(p))).toThrow(
      NestingTooDeepError,
    );
  });
});
