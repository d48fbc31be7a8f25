// Options of extraction that suit only some pages or need one another (lint/extract-formats.ts),
// and how lint/expressions.ts reads strings inside XPath items, embedded JSON and HTML in JSON.
import { describe, expect, it } from 'vitest';
import { checkXPath } from '../../runtime/core/extract/check.ts';
import { check, docWith } from './helpers.ts';

/** The base document with its `extract` block (lines 6 and 7) replaced. */
const extract = (lines: string, parse?: string, ...extra: string[]) =>
  check(docWith({ 6: lines, 7: '' }, ...(parse ? [`parse: ${parse}`] : []), ...extra));

describe('sibling items', () => {
  it('need items, CSS items, and an HTML or XML page', () => {
    expect(extract('  itemUntil: tr.spacer\n  fields: {title: h1}')).toEqual([
      'collectors/t.yaml:6:3 error extract.itemUntil: "itemUntil" needs "items" (items: the first element of each item)',
    ]);
    expect(extract('  items: "[]"\n  itemUntil: tr\n  fields: {title: a}', 'json')).toEqual([
      'collectors/t.yaml:7:3 error extract.itemUntil: "itemUntil" applies to HTML and XML pages; this page is parsed as json (remove it)',
    ]);
    expect(extract('  items: //item\n  itemSiblings: 1\n  fields: {title: title}', 'xml')).toEqual([
      'collectors/t.yaml:7:3 error extract.itemSiblings: "itemSiblings" needs CSS items; these items are XPath (with XPath, take the siblings in the fields: following-sibling::*[1])',
    ]);
    expect(extract('  items: tr.athing\n  itemUntil: "tr:nope"\n  fields: {title: a}', 'html')).toEqual([
      'collectors/t.yaml:7:14 error extract.itemUntil: invalid CSS selector "tr:nope": Unknown pseudo-class :nope',
    ]);
  });
});

describe('relative fields', () => {
  it('walk HTML or XML elements from an item', () => {
    expect(extract('  fields: {title: {path: a, closest: div}}', 'json')).toEqual([
      'collectors/t.yaml:6:29 error extract.fields.title.closest: "closest" walks HTML or XML elements; this is a page parsed as json (remove it)',
    ]);
    expect(extract('  items: li\n  fields: {title: {closest: section, from: page}}', 'html')).toEqual([
      'collectors/t.yaml:7:20 error extract.fields.title.closest: "closest" walks from the item; with from: page there is none (remove one of them)',
    ]);
    expect(extract('  items: li\n  fields: {title: {previous: "p:nope"}}', 'html')).toEqual([
      'collectors/t.yaml:7:30 error extract.fields.title.previous: invalid CSS selector "p:nope": Unknown pseudo-class :nope',
    ]);
  });
});

describe('XML and XPath', () => {
  it('reports XPath on other pages, XPath that does not parse, and the two kinds of item mixed', () => {
    expect(extract('  fields: {title: {xpath: "//h1"}}', 'html')).toEqual([
      'collectors/t.yaml:6:20 error extract.fields.title.xpath: XPath applies to XML pages; this is a page parsed as html (use a CSS selector)',
    ]);
    expect(extract('  fields: {title: {xpath: "//h1["}}', 'xml')).toEqual([
      `collectors/t.yaml:6:27 error extract.fields.title.xpath: ${checkXPath('//h1[')}`,
    ]);
    expect(extract('  items: "//item["\n  fields: {title: title}', 'xml')).toEqual([
      `collectors/t.yaml:6:10 error extract.items: ${checkXPath('//item[')}`,
    ]);
    expect(extract('  items: item\n  fields: {title: {xpath: title}}', 'xml')).toEqual([
      'collectors/t.yaml:7:20 error extract.fields.title.xpath: an XPath field reads XPath items (an items starting with /) or the page (from: page); these items are CSS (write the items as XPath, or add from: page)',
    ]);
    expect(extract('  items: //item\n  fields: {title: {selector: title}, ok: {selector: "channel > title", from: page}}', 'xml')).toEqual([
      'collectors/t.yaml:7:20 error extract.fields.title.selector: CSS selectors do not read inside XPath items (write xpath: with a path relative to the item)',
    ]);
  });

  it('reads the string fields of XPath items as XPath, with parse xml or auto', () => {
    const fields = '  fields: {title: title, c: "dc:creator", x: {xpath: "count(category)"}, l: {xpath: link, fields: {h: "@href"}}}';
    expect(extract(`  items: //item\n${fields}`, 'xml')).toEqual([]);
    expect(extract(`  items: //item\n${fields}`)).toEqual([]);
    expect(extract('  items: //item\n  fields: {title: "title["}', 'xml')).toEqual([
      `collectors/t.yaml:7:19 error extract.fields.title: ${checkXPath('title[')}`,
    ]);
  });

  it('refuses follow.selector inside XPath items', () => {
    expect(
      extract('  items: //item\n  fields: {title: title}', 'xml', 'follow:', '  selector: a', '  extract:', '    fields: {x: h1}'),
    ).toEqual([
      'collectors/t.yaml:14:3 error follow.selector: "follow.selector" reads an element of a CSS item; these items are XPath (use follow.field with a field that holds the link)',
    ]);
  });
});

describe('CSV', () => {
  it('takes any column name, JMESPath items, and a delimiter', () => {
    expect(
      extract(
        '  items: "[?a==\'1\']"\n  delimiter: ";"\n  fields: {title: "First Name", n: {column: 3}, p: {path: "\\"Last Name\\""}}',
        'csv',
      ),
    ).toEqual([]);
  });

  it('reports options of other pages', () => {
    expect(extract('  delimiter: ";"\n  fields: {title: a}', 'html')).toEqual([
      'collectors/t.yaml:6:3 error extract.delimiter: "delimiter" applies to CSV pages; this page is parsed as html (remove it or set parse: csv)',
    ]);
    expect(extract('  fields: {title: {column: 2}}', 'html')).toEqual([
      'collectors/t.yaml:6:20 error extract.fields.title.column: "column" applies to CSV pages; this is a page parsed as html (use path or selector)',
    ]);
    expect(extract('  fields: {title: {jsonld: Product}}', 'csv')).toEqual([
      'collectors/t.yaml:6:20 error extract.fields.title.jsonld: "jsonld" reads <script> elements of an HTML page; this is a page parsed as csv (remove it)',
    ]);
  });
});

describe('embedded JSON and HTML in JSON', () => {
  it('reads paths inside JSON read from the page, and CSS inside HTML read from JSON', () => {
    expect(
      extract(
        '  items: tr\n  fields: {p: {jsonld: Product, path: "offers[0].price"}, d: {json: "window.__D__", path: "a[0]", fields: {x: "b[1]"}}}',
        'html',
      ),
    ).toEqual([]);
    expect(
      extract(
        '  items: posts\n  fields: {links: {path: body_html, selector: a, attr: href, list: true}, f: {path: b, selector: div, fields: {x: "a[href]"}}}',
        'json',
      ),
    ).toEqual([]);
    expect(
      extract('  embedded: {selector: "script#__NEXT_DATA__", json: true}\n  items: "props.items[]"\n  fields: {title: "a[0]"}', 'html'),
    ).toEqual([]);
  });

  it('still reports path on an HTML page without json', () => {
    expect(extract('  fields: {title: {selector: h1, path: a}}', 'html')).toEqual([
      'collectors/t.yaml:6:34 error extract.fields.title.path: a field of an HTML page uses "selector", not "path" (write selector: with a CSS selector)',
    ]);
  });

  it('needs json or jsonld for embedded, on an HTML page, without follow.selector', () => {
    expect(extract('  embedded: {selector: script}\n  fields: {title: a}', 'html')).toEqual([
      'collectors/t.yaml:6:13 error extract.embedded: embedded needs json or jsonld (json: true (a script holding JSON) or a JavaScript name; jsonld: true or a type)',
    ]);
    expect(extract('  embedded: {json: true, jsonld: true}\n  fields: {title: a}', 'html')).toEqual([
      'collectors/t.yaml:6:26 error extract.embedded.jsonld: set only one of json and jsonld',
    ]);
    expect(extract('  embedded: {json: true}\n  fields: {title: a}', 'json')).toEqual([
      'collectors/t.yaml:6:3 error extract.embedded: "embedded" reads JSON inside an HTML page; this page is parsed as json (remove it)',
    ]);
    expect(
      extract(
        '  embedded: {json: true}\n  items: list\n  fields: {title: a}',
        'html',
        'follow:',
        '  selector: a',
        '  extract:',
        '    fields: {x: h1}',
      ),
    ).toEqual([
      'collectors/t.yaml:15:3 error follow.selector: "follow.selector" reads an element of a CSS item; these records come from embedded JSON (use follow.field with a field that holds the link)',
    ]);
  });
});
