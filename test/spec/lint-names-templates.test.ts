import { describe, expect, it } from 'vitest';
import { check, doc, docWith } from './helpers.ts';

describe('name and file name', () => {
  it('must agree', () => {
    expect(check(doc(), 'collectors/other.yaml')).toEqual([
      'collectors/other.yaml:1:7 error name: name "t" differs from the file name "other.yaml" (name the file t.yaml or set name: other)',
    ]);
  });

  it('pass with .yaml or .yml, and are not compared for a text without a file name', () => {
    expect(check(doc(), 'collectors/t.yaml')).toEqual([]);
    expect(check(doc(), 'x/t.yml')).toEqual([]);
    expect(check(doc(), '<stdin>')).toEqual([]);
  });
});

describe('template variables', () => {
  it('must be declared; a near miss is suggested', () => {
    expect(check(docWith({ 4: '  urls: ["{{ bse_url }}/a"]' }, 'variables:', '  base_url: https://example.com'))).toEqual([
      'collectors/t.yaml:4:11 error start.urls[0]: undefined variable "bse_url" (did you mean "base_url"?)',
    ]);
  });

  it('are checked in headers, query, JSON and form bodies and the output', () => {
    expect(
      check(
        doc(
          'request:',
          '  headers:',
          '    X-Day: "{{ day }}"',
          '  query:',
          '    q: "{{ qq }}"',
          '  body:',
          '    json: {a: [{b: "{{ jj }}"}]}',
        ),
      ),
    ).toEqual([
      'collectors/t.yaml:13:13 error request.headers.X-Day: undefined variable "day" (declare it under variables, or use name, runId, date)',
      'collectors/t.yaml:15:9 error request.query.q: undefined variable "qq" (declare it under variables, or use name, runId, date)',
      'collectors/t.yaml:17:21 error request.body.json.a[0].b: undefined variable "jj" (declare it under variables, or use name, runId, date)',
    ]);
    expect(check(doc('request:', '  body:', '    form: {q: "{{ f }}"}'))).toEqual([
      'collectors/t.yaml:13:16 error request.body.form.q: undefined variable "f" (declare it under variables, or use name, runId, date)',
    ]);
    expect(check(docWith({ 8: 'output: s3://bucket-a/raw/{{ nme }}' }))).toEqual([
      'collectors/t.yaml:8:27 error output: undefined variable "nme" (did you mean "name"?)',
    ]);
  });

  it('pass when declared or built in', () => {
    const text = docWith(
      { 4: '  urls: ["{{ base }}/{{ cat }}/{{ date }}?run={{ runId }}"]', 8: 'output: s3://bucket-a/{{ name }}/{{ cat }}' },
      'variables:',
      '  base: https://example.com',
      '  cat: {values: [a, b]}',
      'request:',
      '  headers: {X-Run: "{{ runId }}"}',
    );
    expect(check(text)).toEqual([]);
  });

  it('include the page number or token of a pagination that goes in the path', () => {
    const url = { 4: '  urls: ["https://example.com/p/{{ page }}"]' };
    expect(check(docWith(url, 'paginate:', '  type: page-number', '  in: path'))).toEqual([]);
    expect(check(docWith(url, 'paginate:', '  type: page-number'))).toEqual([
      'collectors/t.yaml:4:33 error start.urls[0]: undefined variable "page" (declare it under variables, or use name, runId, date)',
    ]);
    expect(
      check(
        docWith(
          { 4: '  urls: ["https://example.com/{{ after }}"]' },
          'paginate:',
          '  type: cursor',
          '  tokenPath: next',
          '  param: after',
          '  in: path',
        ),
      ),
    ).toEqual([]);
    expect(
      check(
        docWith(
          { 4: '  urls: ["https://example.com/{{ skip }}/{{ limit }}"]' },
          'paginate:',
          '  type: offset',
          '  limit: 10',
          '  offsetParam: skip',
          '  in: path',
        ),
      ),
    ).toEqual([]);
  });

  it('field contexts name declared variables', () => {
    expect(check(docWith({ 7: '    title: {context: var.cat}' }))).toEqual([
      'collectors/t.yaml:7:22 error extract.fields.title.context: "var.cat" names no variable (declare it under variables)',
    ]);
    expect(check(docWith({ 7: '    title: {context: var.cat}' }, 'variables:', '  cat: {values: [a]}'))).toEqual([]);
  });
});
