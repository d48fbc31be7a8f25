import { describe, expect, it } from 'vitest';
import { ParseError } from '../../runtime/core/extract/errors.ts';
import { detectKind, parsePage } from '../../runtime/core/extract/parse.ts';
import { bookHtml, githubIssues } from './fixtures.ts';

const issuesBody = JSON.stringify(githubIssues()[0]!.response);

describe('parsePage', () => {
  it('reads HTML into a cheerio document', () => {
    const page = parsePage(bookHtml(1), 'text/html; charset=utf-8', 'https://books.toscrape.com/a');
    expect(page.kind).toBe('html');
    if (page.kind !== 'html') return;
    expect(page.url).toBe('https://books.toscrape.com/a');
    expect(page.doc('h1').text()).toBe('A Light in the Attic');
  });

  it('reads JSON', () => {
    const page = parsePage(issuesBody, 'application/json; charset=utf-8', 'https://api.github.com/x');
    expect(page.kind).toBe('json');
    if (page.kind !== 'json') return;
    expect((page.data as { number: number }[]).map((i) => i.number)).toEqual([13, 12, 11]);
  });

  it.each([
    ['application/json; charset=utf-8', 'json'],
    ['application/vnd.github+json', 'json'],
    ['application/problem+json', 'json'],
    ['TEXT/JSON', 'json'],
    ['text/html', 'html'],
    ['application/xhtml+xml', 'html'],
    ['text/plain', 'html'],
  ])('auto: Content-Type %s is %s', (contentType, kind) => {
    expect(detectKind(contentType, '{"a":1}')).toBe(kind);
  });

  it('auto without Content-Type: JSON when the body opens with { or [', () => {
    expect(parsePage('  {"a": 1}', undefined, 'https://x.example/').kind).toBe('json');
    expect(parsePage('\uFEFF[1, 2]', '', 'https://x.example/').kind).toBe('json');
    expect(parsePage(bookHtml(1), undefined, 'https://x.example/').kind).toBe('html');
  });

  it('obeys an explicit `parse` over the Content-Type', () => {
    expect(parsePage(issuesBody, 'text/html', 'https://x.example/', 'json').kind).toBe('json');
    expect(parsePage('<p>{}</p>', 'application/json', 'https://x.example/', 'html').kind).toBe('html');
  });

  it('reads a JSON body with a byte order mark, and a blank one as null', () => {
    const bom = parsePage('\uFEFF{"a":1}', 'application/json', 'https://x.example/');
    expect(bom.kind === 'json' && bom.data).toEqual({ a: 1 });
    const blank = parsePage('  \n', 'application/json', 'https://x.example/');
    expect(blank.kind === 'json' && blank.data).toBeNull();
  });

  it('throws a ParseError with the URL and position for malformed JSON', () => {
    const truncated = issuesBody.slice(0, 500);
    let error: unknown;
    try {
      parsePage(truncated, 'application/json', 'https://api.github.com/issues');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ParseError);
    const pe = error as ParseError;
    expect(pe.name).toBe('ParseError');
    expect(pe.url).toBe('https://api.github.com/issues');
    expect(pe.position).toBe(500);
    expect(pe.message).toBe('malformed JSON from https://api.github.com/issues: unterminated string at position 500 (line 1, column 501)');
  });

  it.each([
    ['{"a":}', 5, 'unexpected "}"'],
    ['[1,2,,]', 5, 'unexpected ","'],
    ['{"a" 1}', 5, "expected ':'"],
    ['{"a":1}x', 7, 'unexpected text after the JSON value'],
    ["{'a':1}", 1, 'expected a property name'],
    ['{\n  "a": tru\n}', 9, 'unexpected "t"'],
  ])('locates the error in %j', (text, position, reason) => {
    expect(() => parsePage(text, 'application/json', 'https://x.example/')).toThrow(ParseError);
    try {
      parsePage(text, 'application/json', 'https://x.example/');
    } catch (e) {
      expect((e as ParseError).position).toBe(position);
      expect((e as ParseError).message).toContain(reason);
    }
  });

  it('reports line and column on multi-line bodies', () => {
    expect(() => parsePage('{\n  "a": 1,\n  "b": ]\n}', 'application/json', 'https://x.example/')).toThrow(
      'at position 19 (line 3, column 8)',
    );
  });
});
