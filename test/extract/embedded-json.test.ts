// Data embedded in HTML: JSON in a <script>, JavaScript variables, JSON-LD (with @graph).
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { compileExtractor } from '../../runtime/core/extract/compile.ts';
import { readEmbeddedJson } from '../../runtime/core/extract/embedded-json.ts';
import { ExtractConfigError, NestingTooDeepError } from '../../runtime/core/extract/errors.ts';
import { parsePage } from '../../runtime/core/extract/parse.ts';
import type { ParsedPage } from '../../runtime/core/extract/types.ts';
import { context } from './fixtures.ts';

const articles = fileURLToPath(new URL('../fixtures/articles/html/', import.meta.url));

/** A real article page (scrapinghub/article-extraction-benchmark), by the start of its name. */
function article(prefix: string): ParsedPage {
  const file = readdirSync(articles).find((f) => f.startsWith(prefix))!;
  return parsePage(gunzipSync(readFileSync(`${articles}${file}`)).toString('utf8'), 'text/html', 'https://www.example.com/article');
}

function html(body: string): ParsedPage {
  return parsePage(
    `<html><head><base href="https://cdn.example/"></head><body>${body}</body></html>`,
    'text/html',
    'https://shop.example/p/1',
  );
}

const one = (page: ParsedPage, fields: Parameters<typeof compileExtractor>[0]['fields']) =>
  compileExtractor({ fields }).extract(page, context(page));

describe('JSON-LD', () => {
  it('finds nodes in a real page whose JSON-LD is a Yoast @graph (one @type given as a list)', () => {
    const page = article('4648a420');
    const { records, warnings } = one(page, {
      types: { jsonld: true, path: '[]."@type"' },
      page: { jsonld: 'WebPage', path: 'name' },
      published: { jsonld: 'WebPage', path: 'datePublished', type: 'date' },
      author: { jsonld: 'Person', path: 'name' },
      article: { jsonld: 'Article', path: 'headline' },
    });
    expect(records).toEqual([
      {
        types: ['WebSite', 'WebPage', ['Person']],
        page: 'Introducing Junior Gaspard, New CEO at Experience - Experience',
        published: '2018-04-09T16:02:25.000Z',
        author: 'Josh',
        article: null, // no node of that type: no value, and nothing to warn about
      },
    ]);
    expect(warnings).toBeUndefined();
  });

  it('gathers the nodes of every JSON-LD block of a real page, in page order', () => {
    const page = article('0e014df6');
    const { records } = one(page, {
      count: { jsonld: true, path: 'length(@)' },
      graphFirst: { jsonld: true, path: '[0]."@type"' },
      allTypes: { jsonld: true, list: true, path: '"@type"' },
    });
    const r = records[0]!;
    expect(r.graphFirst).toBe('WebSite');
    expect(r.count).toBe((r.allTypes as unknown[]).length);
    expect(r.count).toBeGreaterThan(5);
  });

  it('reads a product page: one node of a type, every node with `list`, nested fields, urls made absolute', () => {
    const page = html(`
      <script type="application/ld+json">{"@context":"https://schema.org","@type":"BreadcrumbList","itemListElement":[]}</script>
      <script type="application/ld+json">[{"@type":"Product","name":"Kettle","image":"img/k.jpg","sku":"K-1",
        "offers":{"@type":"Offer","price":"29.90","priceCurrency":"EUR"}},
        {"@type":"Product","name":"Toaster","offers":{"price":"19.00"}}]</script>`);
    const { records } = one(page, {
      name: { jsonld: 'Product', path: 'name', required: true },
      price: { jsonld: 'Product', path: 'offers.price', type: 'number' },
      image: { jsonld: 'Product', path: 'image', type: 'url' },
      offer: { jsonld: 'schema:Product', path: 'offers', fields: { price: { path: 'price', type: 'number' }, currency: 'priceCurrency' } },
      names: { jsonld: 'Product', list: true, path: 'name' },
    });
    expect(records).toEqual([
      {
        name: 'Kettle',
        price: 29.9,
        image: 'https://cdn.example/img/k.jpg',
        offer: { price: 29.9, currency: 'EUR' },
        names: ['Kettle', 'Toaster'],
      },
    ]);
  });

  it('reads JSON-LD inside each item (one block per listing card)', () => {
    const page = html(`
      <div class="card"><script type="application/ld+json">{"@type":"Event","name":"A"}</script></div>
      <div class="card"><script type="application/ld+json">{"@type":"Event","name":"B"}</script></div>`);
    const extractor = compileExtractor({ items: 'div.card', fields: { name: { jsonld: 'Event', path: 'name' } } });
    expect(extractor.extract(page, context(page)).records).toEqual([{ name: 'A' }, { name: 'B' }]);
  });
});

describe('JSON in scripts and JavaScript variables', () => {
  it('reads a <script> holding JSON with `json: true` and `path`', () => {
    const page = html(
      `<script id="__NEXT_DATA__" type="application/json">{"props":{"pageProps":{"title":"Hello","tags":["a","b"]}}}</script>`,
    );
    expect(
      one(page, {
        title: { selector: 'script#__NEXT_DATA__', json: true, path: 'props.pageProps.title' },
        tags: { selector: 'script#__NEXT_DATA__', json: true, path: 'props.pageProps.tags', list: true },
      }).records,
    ).toEqual([{ title: 'Hello', tags: ['a', 'b'] }]);
  });

  it('reads a JavaScript variable assigned an object literal, wherever on the page', () => {
    const page = html(`
      <script>var analytics = {"id": 1}; function go() { return x == 2; }</script>
      <script>
        // comments and other code around it
        window.__DATA__ = {"name": "brace } in a string", "quote": "say \\"{\\"", "nested": {"list": [1, [2, 3]]}, "url": "/x"}; /* done */
        window.__OTHER__ = [];
      </script>`);
    const { records, warnings } = one(page, {
      name: { json: 'window.__DATA__', path: 'name' },
      quote: { json: '__DATA__', path: 'quote' },
      deep: { json: '__DATA__', path: 'nested.list[1][1]' },
      id: { json: 'analytics', path: 'id' },
      other: { json: '__OTHER__', path: 'length(@)' },
    });
    expect(warnings).toBeUndefined();
    expect(records).toEqual([{ name: 'brace } in a string', quote: 'say "{"', deep: 3, id: 1, other: 0 }]);
  });

  it('reads a variable assigned JSON.parse("...")', () => {
    const page = html(`<script>window.__STATE__ = JSON.parse("{\\"user\\":{\\"name\\":\\"Zo\\u00eb\\"},\\"n\\":2}");</script>`);
    expect(one(page, { name: { json: '__STATE__', path: 'user.name' }, n: { json: '__STATE__', path: 'n' } }).records).toEqual([
      { name: 'Zoë', n: 2 },
    ]);
  });

  it('reads a variable on a real page', () => {
    const page = article('06e5123e');
    const { records } = one(page, {
      title: { json: 'vb_page_info', path: 'post_title' },
      authors: { json: 'vb_page_info', path: 'authors', list: true },
      url: { json: 'vb_page_info', path: 'url', type: 'url' },
    });
    expect(records).toEqual([
      {
        title: 'New York State Attorney General investigating WeWork and former CEO',
        authors: ['reuters'],
        url: 'https://venturebeat.com/2019/11/18/new-york-state-attorney-general-investigating-wework-and-former-ceo/',
      },
    ]);
  });

  it('never evaluates JavaScript: a literal that is not JSON gives null and one warning', () => {
    const page = html(`<script>var cfg = {name: 'single quotes', n: 1,};</script><script>var evil = {"a": alert(1)};</script>`);
    const { records, errors, warnings } = one(page, {
      name: { json: 'cfg', path: 'name' },
      evil: { json: 'evil', path: 'a' },
    });
    expect(records).toEqual([{ name: null, evil: null }]);
    expect(errors).toEqual([]);
    expect(warnings).toEqual([
      'field "name": the literal is not valid JSON (syntax error at character 1); JavaScript is never evaluated',
      'field "evil": the literal is not valid JSON (syntax error at character 6); JavaScript is never evaluated',
    ]);
  });

  it('drops the record when a required field holds no JSON, and says why', () => {
    const page = html('<script>var cfg = {a: 1};</script>');
    const { records, errors } = one(page, { a: { json: 'cfg', path: 'a', required: true } });
    expect(records).toEqual([]);
    expect(errors[0]).toMatchObject({ field: 'a', message: expect.stringMatching(/not valid JSON/) });
  });

  it('warns when the variable is not on the page at all', () => {
    const page = html('<script>var other = {};</script>');
    expect(one(page, { a: { json: 'missing', path: 'a' } }).warnings).toEqual(['field "a": no missing in the text']);
  });

  it('reads JSON from an attribute, and after a regex', () => {
    const page = html(`<div id="app" data-props='{"items":[{"id":7}]}'></div><script>init("x", {"k": 5});</script>`);
    expect(
      one(page, {
        id: { selector: '#app', attr: 'data-props', json: true, path: 'items[0].id' },
        k: { selector: 'script', regex: 'init\\("x", (.*)\\);', json: true, path: 'k' },
      }).records,
    ).toEqual([{ id: 7, k: 5 }]);
  });

  it('refuses embedded data nested past the page ceiling', () => {
    const deep = `${'['.repeat(600)}${']'.repeat(600)}`;
    const page = html(`<script>var d = ${deep};</script>`);
    expect(() => one(page, { d: { json: 'd' } })).toThrow(NestingTooDeepError);
  });

  it('refuses `json` and `jsonld` together', () => {
    expect(() => compileExtractor({ fields: { a: { json: true, jsonld: true } } })).toThrow(ExtractConfigError);
  });
});

describe('extract.embedded: the page is the JSON it embeds', () => {
  it('takes items and fields from __NEXT_DATA__ as from a JSON page', () => {
    const page = html(`<script id="__NEXT_DATA__" type="application/json">
      {"props":{"pageProps":{"category":"Tea","items":[{"id":1,"name":"Green","href":"/p/1"},{"id":2,"name":"Black","href":"/p/2"}]}}}</script>`);
    const extractor = compileExtractor({
      embedded: { selector: 'script#__NEXT_DATA__', json: true },
      items: 'props.pageProps.items',
      fields: { id: 'id', name: 'name', url: { path: 'href', type: 'url' }, category: { from: 'page', path: 'props.pageProps.category' } },
    });
    expect(extractor.extract(page, context(page)).records).toEqual([
      { id: 1, name: 'Green', url: 'https://cdn.example/p/1', category: 'Tea' },
      { id: 2, name: 'Black', url: 'https://cdn.example/p/2', category: 'Tea' },
    ]);
  });

  it('takes items from a JavaScript variable, and from JSON-LD nodes of a type', () => {
    const page = html(`<script>window.__INITIAL_STATE__ = {"list":[{"t":"a"},{"t":"b"}]};</script>
      <script type="application/ld+json">{"@graph":[{"@type":"Product","name":"P1"},{"@type":"Thing"},{"@type":"Product","name":"P2"}]}</script>`);
    const fromVar = compileExtractor({ embedded: { json: 'window.__INITIAL_STATE__' }, items: 'list', fields: { t: 't' } });
    expect(fromVar.extract(page, context(page)).records).toEqual([{ t: 'a' }, { t: 'b' }]);
    const fromLd = compileExtractor({ embedded: { jsonld: true }, items: '[?"@type"==`"Product"`]', fields: { name: 'name' } });
    expect(fromLd.extract(page, context(page)).records).toEqual([{ name: 'P1' }, { name: 'P2' }]);
  });

  it('gives no records and a warning when the embedded data is not JSON', () => {
    const page = html('<script>window.__S__ = {a: 1};</script>');
    const out = compileExtractor({ embedded: { json: '__S__' }, items: 'list', fields: { t: 't' } }).extract(page, context(page));
    expect(out.records).toEqual([]);
    expect(out.warnings).toEqual([expect.stringMatching(/^field "extract\.embedded": the literal is not valid JSON/)]);
  });

  it('needs json or jsonld, and refuses follow.selector', () => {
    expect(() => compileExtractor({ embedded: {}, fields: { a: 'a' } }, { parse: 'html' })).toThrow(/set `json`/);
    expect(() =>
      compileExtractor({ embedded: { json: true }, fields: { a: 'a' } }, { parse: 'html', link: { selector: 'a', attribute: 'href' } }),
    ).toThrow(/follow\.field/);
  });
});

describe('readEmbeddedJson', () => {
  it('cuts the first literal out of surrounding code, skipping strings and comments', () => {
    expect(readEmbeddedJson('foo(/* { */ {"a": "]"}, 2)', 'u')).toEqual({ ok: true, value: { a: ']' } });
    expect(readEmbeddedJson('<!-- {"a":1} -->', 'u')).toEqual({ ok: true, value: { a: 1 } });
    expect(readEmbeddedJson('x = {"a": 1', 'u')).toMatchObject({ ok: false, problem: expect.stringMatching(/not closed/) });
  });

  it('matches a whole name only, and an assignment only', () => {
    expect(readEmbeddedJson('var max = {"a": 1}; var x = {"b": 2};', 'u', 'x')).toEqual({ ok: true, value: { b: 2 } });
    expect(readEmbeddedJson('if (x == {"a": 1}) {}', 'u', 'x')).toMatchObject({
      ok: false,
      problem: 'x is not assigned an object or array literal',
    });
    expect(readEmbeddedJson('const s = {x: 1}; y = {"x": {"z": 3}}', 'u', 'x')).toMatchObject({ ok: false });
  });
});
