import { describe, expect, it } from 'vitest';
import { check, doc } from './helpers.ts';

describe('next-link pagination', () => {
  it('needs exactly one of selector, path and linkHeader', () => {
    expect(check(doc('paginate:', '  type: next-link'))).toEqual([
      'collectors/t.yaml:12:3 error paginate: next-link pagination needs one of selector, path or linkHeader (selector for HTML, path for JSON, linkHeader: true for a Link header)',
    ]);
    expect(check(doc('paginate:', '  type: next-link', '  selector: a.next', '  linkHeader: true'))).toEqual([
      'collectors/t.yaml:14:3 error paginate.linkHeader: set only one of selector, path and linkHeader; found selector, linkHeader',
    ]);
  });

  it('passes with one; linkHeader: false does not count', () => {
    expect(check(doc('paginate:', '  type: next-link', '  linkHeader: true'))).toEqual([]);
    expect(check(doc('paginate:', '  type: next-link', '  selector: a.next', '  linkHeader: false'))).toEqual([]);
  });
});

describe('cursor pagination', () => {
  it('needs one of tokenPath and tokenHeader', () => {
    expect(check(doc('paginate:', '  type: cursor', '  param: after'))).toEqual([
      'collectors/t.yaml:12:3 error paginate: cursor pagination needs tokenPath or tokenHeader (tokenPath: a JMESPath to the next token; tokenHeader: a response header)',
    ]);
    expect(check(doc('paginate:', '  type: cursor', '  param: after', '  tokenPath: next', '  tokenHeader: X-Next'))).toEqual([
      'collectors/t.yaml:15:3 error paginate.tokenHeader: set only one of tokenPath and tokenHeader',
    ]);
    expect(check(doc('paginate:', '  type: cursor', '  param: after', '  tokenHeader: X-Next'))).toEqual([]);
  });
});

describe('follow', () => {
  it('needs field or selector, not both', () => {
    expect(check(doc('follow:', '  extract: {fields: {a: b}}'))).toEqual([
      'collectors/t.yaml:12:3 error follow: follow needs field or selector (field: a record field holding the link; selector: an element inside the item)',
    ]);
    expect(check(doc('follow:', '  field: title', '  selector: a', '  extract: {fields: {a: b}}'))).toEqual([
      'collectors/t.yaml:13:3 error follow.selector: set only one of field and selector',
    ]);
  });

  it('checks every level, and attribute goes with selector', () => {
    expect(
      check(
        doc(
          'follow:',
          '  selector: h3 a',
          '  attribute: data-href',
          '  extract: {fields: {a: b}}',
          '  follow:',
          '    field: title',
          '    attribute: href',
          '    extract: {fields: {c: d}}',
        ),
      ),
    ).toEqual(['collectors/t.yaml:17:5 error follow.follow.attribute: "attribute" applies only with "selector" (remove it)']);
  });
});
