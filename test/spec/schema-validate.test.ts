// One test per kind of schema mistake: exact message, hint and line:column.
// Documents are the 10-line base of helpers.ts plus the lines shown (from line 11).
import { describe, expect, it } from 'vitest';
import { validateSchema } from '../../runtime/language/schema-validate.ts';
import collectorSchema from '../../schemas/collector.schema.json' with { type: 'json' };
import { check, doc, docWith } from './helpers.ts';

// Every top-level option of the schema, in its order (the language grows; the message lists them all).
const TOP_LEVEL = Object.keys(collectorSchema.properties).join(', ');

describe('unknown options', () => {
  it('point at the key and suggest the closest allowed name', () => {
    expect(check(doc('outptu: s3://x/y'))).toEqual([
      'collectors/t.yaml:11:1 error outptu: unknown option "outptu" (did you mean "output"?)',
    ]);
    expect(check(doc('paginate:', '  type: next-link', '  selectr: li.next a'))).toEqual([
      'collectors/t.yaml:13:3 error paginate.selectr: unknown option "selectr" (did you mean "selector"?)',
    ]);
    expect(check(docWith({ 7: '    title: {selectr: h1}' }))).toEqual([
      'collectors/t.yaml:7:13 error extract.fields.title.selectr: unknown option "selectr" (did you mean "selector"?)',
    ]);
  });

  it('list the allowed names when nothing is close', () => {
    expect(check(doc('zzz: 1'))).toEqual([`collectors/t.yaml:11:1 error zzz: unknown option "zzz" (allowed: ${TOP_LEVEL})`]);
  });

  it('name the pagination strategies an option belongs to', () => {
    expect(check(doc('paginate:', '  type: next-link', '  linkHeader: true', '  param: page'))).toEqual([
      'collectors/t.yaml:14:3 error paginate.param: unknown option "param" ("param" is an option of type: page-number or type: cursor)',
    ]);
  });

  it('are found at every level of a recursive definition', () => {
    expect(
      check(
        doc(
          'follow:',
          '  field: title',
          '  extract: {fields: {a: b}}',
          '  follow:',
          '    field: a',
          '    extract: {fields: {c: d}}',
          '    bogus: 1',
        ),
      ),
    ).toEqual([
      `collectors/t.yaml:17:5 error follow.follow.bogus: unknown option "bogus" (allowed: field, selector, attribute, parse, extract, follow, maxDepth, allowedHosts)`,
    ]);
  });
});

describe('pagination (a discriminated union)', () => {
  it('a wrong type lists the four strategies, once', () => {
    expect(check(doc('paginate:', '  type: pages', '  selector: a'))).toEqual([
      'collectors/t.yaml:12:9 error paginate.type: "pages" is not one of: next-link, page-number, offset, cursor',
    ]);
    expect(check(doc('paginate:', '  type: 3'))).toEqual([
      'collectors/t.yaml:12:9 error paginate.type: expected a string, got 3 (one of: next-link, page-number, offset, cursor)',
    ]);
  });

  it('a missing type names the strategies', () => {
    expect(check(doc('paginate:', '  selector: a'))).toEqual([
      'collectors/t.yaml:12:3 error paginate.type: missing required option "type" (one of: next-link, page-number, offset, cursor)',
    ]);
  });

  it('errors come from the chosen strategy only', () => {
    expect(check(doc('paginate:', '  type: offset', '  limit: 0'))).toEqual([
      'collectors/t.yaml:13:10 error paginate.limit: must be at least 1, got 0',
    ]);
    expect(check(doc('paginate:', '  type: offset'))).toEqual([
      'collectors/t.yaml:12:3 error paginate.limit: missing required option "limit" (e.g. limit: 100)',
    ]);
    expect(check(doc('paginate:', '  type: cursor', '  tokenPath: next'))).toEqual([
      // (param is optional when a body path names the token: the lint says what is missing.)
      'collectors/t.yaml:12:3 error paginate: cursor pagination needs "param": the name the token is sent under (or in: body with path: a field inside the JSON body (variables.after))',
    ]);
  });
});

describe('wrong types', () => {
  it('say what was expected and what was found, at the value', () => {
    expect(check(doc('request:', '  timeoutSeconds: soon'))).toEqual([
      'collectors/t.yaml:12:19 error request.timeoutSeconds: expected a number, got "soon" (e.g. 30)',
    ]);
    expect(check(doc('request:', '  retries:', '    attempts: 1.5'))).toEqual([
      'collectors/t.yaml:13:15 error request.retries.attempts: expected an integer, got 1.5 (e.g. 3)',
    ]);
    expect(check(doc('schedule:', '  expression: rate(1 day)', '  enabled: "yes"'))).toEqual([
      'collectors/t.yaml:13:12 error schedule.enabled: expected true or false, got "yes" (e.g. true)',
    ]);
    expect(check(doc('tags: books'))).toEqual(['collectors/t.yaml:11:7 error tags: expected a list, got "books" (e.g. ["books","demo"])']);
  });

  it('give one message for a field, which may be a string or a mapping', () => {
    expect(check(docWith({ 7: '    title: 5' }))).toEqual([
      'collectors/t.yaml:7:12 error extract.fields.title: expected a string or a mapping, got 5 (e.g. "h1")',
    ]);
    expect(check(docWith({ 7: '    title: [a, b]' }))).toEqual([
      'collectors/t.yaml:7:12 error extract.fields.title: expected a string or a mapping, got a list (e.g. "h1")',
    ]);
  });

  it('give one message for a variable, which may be a string, a number or a mapping', () => {
    expect(check(doc('variables:', '  v: [a, b]'))).toEqual([
      'collectors/t.yaml:12:6 error variables.v: expected a string, a number or a mapping, got a list (e.g. "https://books.toscrape.com")',
    ]);
  });

  it('point at the key when the value is missing', () => {
    expect(check(doc('request:', '  query:', '    q:'))).toEqual([
      'collectors/t.yaml:13:5 error request.query.q: expected a string, a number or a boolean, got an empty value',
    ]);
  });

  it('reject NaN and infinity as numbers', () => {
    expect(check(doc('request:', '  timeoutSeconds: .nan'))).toEqual([
      'collectors/t.yaml:12:19 error request.timeoutSeconds: expected a number, got NaN (e.g. 30)',
    ]);
  });
});

describe('values out of bounds', () => {
  it('name the bound and the value', () => {
    expect(check(doc('scaling:', '  maxConcurrency: 1'))).toEqual([
      'collectors/t.yaml:12:19 error scaling.maxConcurrency: must be at least 2, got 1',
    ]);
    expect(check(doc('request:', '  retries:', '    attempts: 11'))).toEqual([
      'collectors/t.yaml:13:15 error request.retries.attempts: must be at most 10, got 11',
    ]);
    expect(check(doc('request:', '  timeoutSeconds: 0'))).toEqual([
      'collectors/t.yaml:12:19 error request.timeoutSeconds: must be greater than 0, got 0',
    ]);
  });
});

describe('enums', () => {
  it('list the allowed values and suggest the closest', () => {
    expect(check(doc('request:', '  method: GTE'))).toEqual([
      'collectors/t.yaml:12:11 error request.method: "GTE" is not one of: GET, POST, PUT, PATCH, DELETE, HEAD (did you mean "GET"?)',
    ]);
    expect(check(docWith({ 7: '    title: {selector: h1, type: numbr}' }))).toEqual([
      'collectors/t.yaml:7:33 error extract.fields.title.type: "numbr" is not one of: string, integer, number, boolean, date, url (did you mean "number"?)',
    ]);
  });
});

describe('patterns', () => {
  it('explain the collector name', () => {
    expect(check(docWith({ 1: 'name: Books' }))).toEqual([
      'collectors/t.yaml:1:7 error name: "Books" is not a valid collector name (lower-case letters, digits and dashes, starting with a letter or digit, at most 63 characters)',
    ]);
  });

  it('explain the output location', () => {
    expect(check(docWith({ 8: 'output: https://x/y' }))).toEqual([
      'collectors/t.yaml:8:9 error output: "https://x/y" is not an S3 URI (write s3://bucket/prefix, e.g. s3://my-data-lake/raw/{{ name }})',
    ]);
  });

  it('explain variable and field names, at the key', () => {
    expect(check(doc('variables:', '  bad-name: x'))).toEqual([
      'collectors/t.yaml:12:3 error variables.bad-name: "bad-name" is not a valid name (start with a letter or _, then letters, digits or _)',
    ]);
    expect(check(docWith({ 7: '    2title: h1' }))).toEqual([
      'collectors/t.yaml:7:5 error extract.fields.2title: "2title" is not a valid name (start with a letter or _, then letters, digits or _)',
    ]);
  });

  it('explain context values and date steps', () => {
    expect(check(docWith({ 7: '    title: {context: page}' }))).toEqual([
      'collectors/t.yaml:7:22 error extract.fields.title.context: "page" is not a context value (one of url, fetchedAt, runId, collector, taskId, var.NAME)',
    ]);
    expect(check(doc('variables:', '  d:', '    dates: {from: -1d, step: 1x}'))).toEqual([
      'collectors/t.yaml:13:30 error variables.d.dates.step: "1x" is not a step (a number of days, weeks or months: 1d, 2w, 1m)',
    ]);
  });
});

describe('missing options', () => {
  it('point at the mapping that lacks them', () => {
    const text = ['# a comment first', 'name: t', 'start: {urls: [a]}', 'extract: {fields: {a: b}}', ''].join('\n');
    expect(check(text)).toEqual([
      'collectors/t.yaml:2:1 error output: missing required option "output" (e.g. output: "s3://my-data-lake/raw/{{ name }}")',
      'collectors/t.yaml:2:1 warning no expect block: an empty or broken run would pass unnoticed (add expect: { minRecords: 1 })',
      'collectors/t.yaml:2:1 warning no owner: nobody is named to answer for this collector (add owner: a team or an e-mail address)',
    ]);
    expect(check(doc('follow:', '  field: title'))).toEqual([
      'collectors/t.yaml:12:3 error follow.extract: missing required option "extract" (e.g. extract: {"fields":{"upc":"table tr:nth-child(1) td"}})',
    ]);
  });
});

describe('counts', () => {
  it('lists need items and must not repeat them', () => {
    expect(check(docWith({ 4: '  urls: []' }))).toEqual([
      'collectors/t.yaml:4:9 error start.urls: must list at least 1 item (e.g. ["{{ base_url }}/catalogue/page-1.html"])',
    ]);
    expect(check(doc('tags: [a, b, a]'))).toEqual(['collectors/t.yaml:11:14 error tags[2]: duplicate item "a" (the same as item 0)']);
  });

  it('mappings that hold exactly one of their options say which', () => {
    expect(check(doc('variables:', '  v: {}'))).toEqual([
      'collectors/t.yaml:12:6 error variables.v: set exactly one of: values, range, dates',
    ]);
    expect(check(doc('variables:', '  v:', '    values: [1]', '    range: {from: 1, to: 2}'))).toEqual([
      'collectors/t.yaml:13:5 error variables.v: set exactly one of: values, range, dates; found values, range',
    ]);
    expect(check(doc('request:', '  body: {}'))).toEqual(['collectors/t.yaml:12:9 error request.body: set exactly one of: json, form']);
  });

  it('extract needs a field', () => {
    expect(check(docWith({ 6: '  items: li', 7: '  fields: {}' }))).toEqual([
      'collectors/t.yaml:7:11 error extract.fields: define at least one field',
    ]);
  });
});

describe('validateSchema', () => {
  it('accepts the base document and leaves the value untouched (no defaults)', () => {
    const value = { name: 't', start: { urls: ['a'] }, extract: { fields: { a: 'b' } }, output: 's3://b/c', request: { retries: {} } };
    const copy = structuredClone(value);
    expect(validateSchema(value)).toEqual([]);
    expect(value).toEqual(copy);
  });

  it('reports several mistakes of one document, each once', () => {
    const issues = validateSchema({ name: 'X', start: { urls: [] }, extract: { fields: { a: 1 } }, output: 'x', extra: 1 });
    expect(issues.map((i) => i.path.join('.'))).toEqual(['extra', 'name', 'start.urls', 'extract.fields.a', 'output']);
  });
});
