// Messages about a selector, JMESPath or regex come from runtime/core/extract/check.ts
// (the same compilers extraction uses); these tests pin where they are reported.
import { describe, expect, it } from 'vitest';
import { checkJmesPath, checkRegex, checkSelector } from '../../runtime/core/extract/check.ts';
import { check, doc, docWith } from './helpers.ts';

const BAD_CSS = 'p:unknownpseudo';
const BAD_JMES = 'data[';

describe('selectors, JMESPath and regexes compile', () => {
  it('selectors on an HTML page', () => {
    expect(check(docWith({ 6: `  items: "${BAD_CSS}"`, 7: `  fields: {title: "${BAD_CSS}"}` }, 'parse: html'))).toEqual([
      `collectors/t.yaml:6:10 error extract.items: ${checkSelector(BAD_CSS)}`,
      `collectors/t.yaml:7:19 error extract.fields.title: ${checkSelector(BAD_CSS)}`,
    ]);
    expect(
      check(
        docWith(
          { 6: '  items: article.product_pod', 7: '  fields: {title: {selector: "h3 a", attr: title}, n: {selector: td, fields: {a: b}}}' },
          'parse: html',
        ),
      ),
    ).toEqual([]);
  });

  it('JMESPath on a JSON page', () => {
    expect(check(docWith({ 6: `  items: "${BAD_JMES}"`, 7: `  fields: {title: {path: "${BAD_JMES}"}}` }, 'parse: json'))).toEqual([
      `collectors/t.yaml:6:10 error extract.items: ${checkJmesPath(BAD_JMES)}`,
      `collectors/t.yaml:7:26 error extract.fields.title.path: ${checkJmesPath(BAD_JMES)}`,
    ]);
    expect(
      check(
        docWith(
          { 6: '  items: "data.items[]"', 7: '  fields: {title: user.login, labels: {path: "labels[].name", list: true}}' },
          'parse: json',
        ),
      ),
    ).toEqual([]);
  });

  it('with parse auto, a string must be one or the other', () => {
    expect(check(docWith({ 7: `    title: "${BAD_CSS}"` }))).toEqual([
      `collectors/t.yaml:7:12 error extract.fields.title: this field is neither a CSS selector nor a JMESPath expression: ${checkSelector(BAD_CSS)}; ${checkJmesPath(BAD_CSS)} (set parse: html or parse: json to get one precise error)`,
    ]);
    expect(check(docWith({ 7: '    title: "[]"' }))).toEqual([]);
    expect(check(docWith({ 7: '    title: "div > h1"' }))).toEqual([]);
  });

  it('regexes, in nested fields and detail pages too', () => {
    expect(
      check(
        doc(
          'follow:',
          '  field: title',
          '  extract:',
          '    fields:',
          '      n:',
          '        fields:',
          '          m: {selector: b, regex: "([0-9"}',
        ),
      ),
    ).toEqual([`collectors/t.yaml:17:35 error follow.extract.fields.n.fields.m.regex: ${checkRegex('([0-9')}`]);
  });

  it('pagination selectors and paths, and follow selectors', () => {
    expect(check(doc('paginate:', '  type: next-link', `  selector: "${BAD_CSS}"`))).toEqual([
      `collectors/t.yaml:13:13 error paginate.selector: ${checkSelector(BAD_CSS)}`,
    ]);
    expect(check(doc('paginate:', '  type: cursor', `  tokenPath: "${BAD_JMES}"`, '  param: after'))).toEqual([
      `collectors/t.yaml:13:14 error paginate.tokenPath: ${checkJmesPath(BAD_JMES)}`,
    ]);
    expect(
      check(doc('paginate:', '  type: page-number', `  totalPagesPath: "${BAD_JMES}"`, '  stop:', `    totalPath: "${BAD_JMES}"`)),
    ).toEqual([
      `collectors/t.yaml:13:19 error paginate.totalPagesPath: ${checkJmesPath(BAD_JMES)}`,
      `collectors/t.yaml:15:16 error paginate.stop.totalPath: ${checkJmesPath(BAD_JMES)}`,
    ]);
    expect(check(doc('follow:', `  selector: "${BAD_CSS}"`, '  extract: {fields: {a: b}}'))).toEqual([
      `collectors/t.yaml:12:13 error follow.selector: ${checkSelector(BAD_CSS)}`,
    ]);
  });
});

describe('selector or path, as the page is parsed', () => {
  it('an HTML page has no path', () => {
    expect(check(docWith({ 7: '    title: {path: title}' }, 'parse: html'))).toEqual([
      'collectors/t.yaml:7:13 error extract.fields.title.path: a field of an HTML page uses "selector", not "path" (write selector: with a CSS selector)',
    ]);
  });

  it('a JSON page has no selector, attr or html', () => {
    expect(check(docWith({ 7: '    title: {selector: h1, attr: title, html: true}' }, 'parse: json'))).toEqual([
      'collectors/t.yaml:7:13 error extract.fields.title.selector: a field of a JSON page uses "path", not "selector" (write path: with a JMESPath expression)',
      'collectors/t.yaml:7:27 error extract.fields.title.attr: "attr" applies to HTML pages only; this page is parsed as JSON (remove it or set parse: html)',
      'collectors/t.yaml:7:40 error extract.fields.title.html: "html" applies to HTML pages only; this page is parsed as JSON (remove it or set parse: html)',
    ]);
  });

  it('a detail page follows its own parse', () => {
    expect(check(doc('parse: json', 'follow:', '  field: title', '  parse: html', '  extract: {fields: {upc: {selector: td}}}'))).toEqual(
      [],
    );
    expect(check(doc('parse: html', 'follow:', '  field: title', '  parse: json', '  extract: {fields: {upc: {selector: td}}}'))).toEqual([
      'collectors/t.yaml:15:28 error follow.extract.fields.upc.selector: a field of a JSON page uses "path", not "selector" (write path: with a JMESPath expression)',
    ]);
  });

  it('pagination reads the page as parsed', () => {
    expect(check(doc('parse: json', 'paginate:', '  type: next-link', '  selector: a.next'))).toEqual([
      'collectors/t.yaml:14:3 error paginate.selector: "selector" reads an HTML page, but this collector parses pages as JSON (use path: with a JMESPath expression)',
    ]);
    expect(check(doc('parse: html', 'paginate:', '  type: next-link', '  path: links.next'))).toEqual([
      'collectors/t.yaml:14:3 error paginate.path: "path" reads a JSON response, but this collector parses pages as HTML (set parse: json or auto)',
    ]);
    expect(check(doc('parse: html', 'paginate:', '  type: next-link', '  selector: a.next', '  stop: {totalPath: total}'))).toEqual([
      'collectors/t.yaml:15:10 error paginate.stop.totalPath: "totalPath" reads a JSON response, but this collector parses pages as HTML (set parse: json or auto)',
    ]);
  });
});

describe('other field options', () => {
  it('time zones are IANA names', () => {
    expect(check(docWith({ 7: '    title: {selector: time, type: date, timezone: Europe/Londn}' }))).toEqual([
      'collectors/t.yaml:7:51 error extract.fields.title.timezone: "Europe/Londn" is not an IANA time zone (did you mean "Europe/London"?)',
    ]);
  });

  it('nested fields are not empty', () => {
    expect(check(docWith({ 7: '    title: {selector: td, fields: {}}' }))).toEqual([
      'collectors/t.yaml:7:35 error extract.fields.title.fields: define at least one field (or remove "fields")',
    ]);
  });
});
