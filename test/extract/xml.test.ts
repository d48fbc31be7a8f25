// XML pages: RSS and Atom feeds read with CSS (cheerio's XML mode) and with XPath, namespaces,
// detection by Content-Type, and the ceilings (entities, nesting, item counts).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { compileExtractor } from '../../runtime/core/extract/compile.ts';
import { ExtractConfigError, NestingTooDeepError, ParseError, TooManyItemsError } from '../../runtime/core/extract/errors.ts';
import { selectLink } from '../../runtime/core/extract/links.ts';
import { detectKind, parsePage } from '../../runtime/core/extract/parse.ts';
import type { ParsedPage } from '../../runtime/core/extract/types.ts';
import { context } from './fixtures.ts';
import { ATOM, RSS } from './xml-fixtures.ts';

const rss = () => parsePage(RSS, 'application/rss+xml; charset=utf-8', 'https://news.example/feed');
const atom = () => parsePage(ATOM, 'application/atom+xml', 'https://blog.example/atom.xml');
const records = (page: ParsedPage, block: Parameters<typeof compileExtractor>[0]) => compileExtractor(block).extract(page, context(page));

describe('XML with CSS selectors', () => {
  it('reads an RSS feed: case-sensitive names, prefixed names, CDATA, attributes in their case', () => {
    const page = rss();
    expect(page.kind).toBe('xml');
    const out = records(page, {
      items: 'item',
      fields: {
        title: 'title',
        link: 'link',
        published: { selector: 'pubDate', type: 'date' },
        author: 'dc\\:creator',
        categories: { selector: 'category', list: true },
        description: { selector: 'description' },
        permalink: { selector: 'guid', attr: 'isPermaLink', type: 'boolean' },
        image: { selector: 'media\\:content', attr: 'url' },
        channel: { from: 'page', selector: 'channel > title' },
      },
    });
    expect(out.errors).toEqual([]);
    expect(out.records).toEqual([
      {
        title: 'First & foremost',
        link: 'https://news.example/a/1',
        published: '2024-01-02T09:00:00.000Z',
        author: 'Ada Lovelace',
        categories: ['science', 'history'],
        description: '<p>Some <b>bold</b> text</p>',
        permalink: false,
        image: 'https://cdn.example/1.jpg',
        channel: 'Example News',
      },
      {
        title: 'Second',
        link: 'https://news.example/a/2',
        published: '2024-01-03T08:30:00.000Z',
        author: 'Grace Hopper',
        categories: [],
        description: 'Plain text',
        permalink: true,
        image: null,
        channel: 'Example News',
      },
    ]);
  });

  it('reads an Atom feed, whose elements are in a default namespace, with plain names', () => {
    const page = atom();
    const out = records(page, {
      items: 'entry',
      fields: {
        title: 'title',
        url: { selector: 'link[rel=alternate]', attr: 'href', type: 'url' },
        updated: { selector: 'updated', type: 'date' },
        author: 'author name',
        replies: { selector: 'thr\\:total', type: 'integer' },
      },
    });
    expect(out.records).toEqual([
      { title: 'Hello <world>', url: 'https://blog.example/hello', updated: '2024-02-01T12:00:00.000Z', author: 'Alan', replies: 4 },
      { title: 'Second post', url: 'https://blog.example/second', updated: '2024-02-02T12:00:00.000Z', author: 'Barbara', replies: null },
    ]);
  });

  it('gives inner XML with `html: true`', () => {
    const page = atom();
    expect(records(page, { items: 'entry', fields: { author: { selector: 'author', html: true } } }).records[0]).toEqual({
      author: '<name>Alan</name>',
    });
  });

  it('finds a next link in a feed for pagination', () => {
    expect(selectLink(atom(), 'link[rel=next]', 'href')).toBe('https://blog.example/atom.xml?page=2');
    expect(selectLink(rss(), 'atom\\:link[rel=next]', 'href')).toBe('https://news.example/feed?page=2');
  });
});

describe('XML with XPath', () => {
  it("reads XPath items with relative XPath fields, the document's prefixes and any-namespace names", () => {
    const out = records(rss(), {
      items: '//channel/item',
      fields: {
        title: 'title',
        author: 'dc:creator',
        image: { xpath: 'media:content/@url' },
        categories: { xpath: 'category', list: true },
        count: { xpath: 'count(category)' },
        guid: { xpath: 'string(guid/@isPermaLink)', type: 'boolean' },
        channel: { xpath: '/rss/channel/title', from: 'page' },
        site: { from: 'page', selector: 'channel > link' },
      },
    });
    expect(out.records).toEqual([
      {
        title: 'First & foremost',
        author: 'Ada Lovelace',
        image: 'https://cdn.example/1.jpg',
        categories: ['science', 'history'],
        count: 2,
        guid: false,
        channel: 'Example News',
        site: 'https://news.example/',
      },
      {
        title: 'Second',
        author: 'Grace Hopper',
        image: null,
        categories: [],
        count: 0,
        guid: true,
        channel: 'Example News',
        site: 'https://news.example/',
      },
    ]);
  });

  it("matches Atom's default-namespace elements by plain names", () => {
    const out = records(atom(), {
      items: '//entry',
      fields: {
        title: 'title',
        url: { xpath: "link[@rel='alternate']/@href", type: 'url' },
        author: { xpath: 'author', fields: { name: 'name' } },
      },
    });
    expect(out.records).toEqual([
      { title: 'Hello <world>', url: 'https://blog.example/hello', author: { name: 'Alan' } },
      { title: 'Second post', url: 'https://blog.example/second', author: { name: 'Barbara' } },
    ]);
  });

  it('mixes CSS and XPath in page-level fields, and takes a selector starting with / as XPath', () => {
    const out = records(rss(), {
      fields: { css: 'channel > title', xpath: { xpath: 'string(/rss/channel/link)' }, slash: { selector: '/rss/channel/item[2]/title' } },
    });
    expect(out.records).toEqual([{ css: 'Example News', xpath: 'https://news.example/', slash: 'Second' }]);
  });

  it('refuses XPath fields inside CSS items, CSS fields inside XPath items, and bad XPath', () => {
    expect(() => compileExtractor({ items: 'item', fields: { a: { xpath: 'title' } } }, { parse: 'xml' })).toThrow(
      /XPath reads XPath items/,
    );
    expect(() => compileExtractor({ items: '//item', fields: { a: { selector: 'title' } } }, { parse: 'xml' })).toThrow(
      /CSS selectors do not read inside XPath items/,
    );
    expect(() => compileExtractor({ items: '//item[', fields: { a: 'title' } }, { parse: 'xml' })).toThrow(ExtractConfigError);
    expect(() => compileExtractor({ fields: { a: { xpath: 'title' } } }, { parse: 'html' })).toThrow(/XPath applies to XML pages/);
  });

  it('gives no value for a prefix the document does not declare', () => {
    expect(records(rss(), { items: '//item', fields: { x: 'nope:thing' } }).records).toEqual([{ x: null }, { x: null }]);
  });
});

describe('XML detection and ceilings', () => {
  it('detects XML by Content-Type and, without one, by an XML declaration', () => {
    for (const type of ['application/xml', 'text/xml; charset=utf-8', 'application/rss+xml', 'application/atom+xml', 'image/svg+xml']) {
      expect(detectKind(type, '<x/>'), type).toBe('xml');
    }
    expect(detectKind('application/xhtml+xml', '<html/>')).toBe('html');
    expect(detectKind(undefined, '\uFEFF<?xml version="1.0"?><rss/>')).toBe('xml');
    expect(detectKind(undefined, '<?xml version="1.0"?><!DOCTYPE html><html><body/></html>')).toBe('html');
    expect(detectKind(undefined, '<!doctype html><p>x</p>')).toBe('html');
    expect(parsePage(RSS, undefined, 'https://x.example/', 'xml').kind).toBe('xml');
  });

  it('refuses a document that declares entities (XXE, entity expansion), and never shows their text', () => {
    const xxe = `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><r><a>&xxe;</a></r>`;
    expect(() => parsePage(xxe, 'application/xml', 'https://evil.example/')).toThrow(ParseError);
    expect(() => parsePage(xxe, 'application/xml', 'https://evil.example/')).toThrow(
      /malformed XML from https:\/\/evil\.example\/: the document declares entities/,
    );
    const laughs = `<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><l>&b;</l>`;
    expect(() => parsePage(laughs, 'text/xml', 'https://evil.example/')).toThrow(/declares entities/);
  });

  it('never fetches an external DTD, with CSS or XPath', async () => {
    let requests = 0;
    const server = createServer((_req, res) => {
      requests++;
      res.end('<!ENTITY x "leaked">');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    try {
      const doc = `<?xml version="1.0"?><!DOCTYPE r SYSTEM "http://127.0.0.1:${port}/evil.dtd"><r><a>&x;</a></r>`;
      const page = parsePage(doc, 'application/xml', 'https://x.example/');
      const out = records(page, { fields: { css: 'a', xpath: { xpath: '/r/a' } } });
      expect(JSON.stringify(out.records)).not.toContain('leaked');
      expect(out.records).toEqual([{ css: '&x;', xpath: '&x;' }]);
      // Both parsers are synchronous and have no network code: had either fetched, it would have been by now.
      expect(requests).toBe(0);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('refuses XML nested past the page ceiling before building its tree', () => {
    const deep = `<?xml version="1.0"?>${'<a>'.repeat(600)}x${'</a>'.repeat(600)}`;
    expect(() => parsePage(deep, 'application/xml', 'https://x.example/')).toThrow(NestingTooDeepError);
  });

  it('counts CSS and XPath items against maxItemsPerPage', () => {
    const page = rss();
    expect(() => compileExtractor({ items: 'item', fields: { t: 'title' } }, { maxItems: 1 }).extract(page, context(page))).toThrow(
      TooManyItemsError,
    );
    expect(() => compileExtractor({ items: '//item', fields: { t: 'title' } }, { maxItems: 1 }).extract(page, context(page))).toThrow(
      TooManyItemsError,
    );
  });
});
