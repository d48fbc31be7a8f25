import { describe, expect, it } from 'vitest';
import { compileExtractor } from '../../runtime/core/extract/compile.ts';
import { ExtractConfigError } from '../../runtime/core/extract/errors.ts';
import { parsePage } from '../../runtime/core/extract/parse.ts';
import { context, githubIssues, issuesPage } from './fixtures.ts';

describe('JSON fields on recorded GitHub issue responses', () => {
  const issues = compileExtractor({
    items: '[]',
    fields: {
      number: 'number',
      title: 'title',
      author: 'user.login',
      labels: { path: 'labels[].name', list: true },
      comments: { path: 'comments', type: 'integer' },
      closed: 'closed_at',
      reactions: 'reactions.total_count',
    },
  });

  it('makes one record per item of `items`', () => {
    const page = issuesPage(0);
    const { records, errors, links } = issues.extract(page, context(page));
    expect(errors).toEqual([]);
    expect(links).toEqual([]);
    expect(records).toEqual(
      [13, 12, 11].map((n) => ({
        number: n,
        title: `Test issue ${n}`,
        author: 'octokit-fixture-user-a',
        labels: [],
        comments: 42,
        closed: null,
        reactions: 0,
      })),
    );
  });

  it('reads all 13 issues across the 5 recorded pages', () => {
    const numbers = githubIssues().flatMap((_, i) => {
      const page = issuesPage(i);
      return issues.extract(page, context(page)).records.map((r) => r.number);
    });
    expect(numbers).toEqual([13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
  });

  it('keeps JSON strings exactly as sent unless `whitespace: normalize` is set', () => {
    const page = parsePage('{"items":[{"body":"line one\\n\\n  line two  "}]}', 'application/json', 'https://api.example.com/x');
    const extractor = compileExtractor({ items: 'items', fields: { raw: 'body', flat: { path: 'body', whitespace: 'normalize' } } });
    expect(extractor.extract(page, context(page)).records).toEqual([{ raw: 'line one\n\n  line two  ', flat: 'line one line two' }]);
  });

  it('passes objects and lists through when no conversion is asked for', () => {
    const page = issuesPage(0);
    const extractor = compileExtractor({
      items: '[0]',
      fields: { reactions: 'reactions', assignees: 'assignees', keys: 'keys(user) | length(@)' },
    });
    const record = extractor.extract(page, context(page)).records[0]!;
    expect(record.reactions).toMatchObject({ total_count: 0, '+1': 0, heart: 0 });
    expect(record.assignees).toEqual([]);
    expect(record.keys).toBe(18);
  });

  it('makes the whole response one record when `items` is omitted', () => {
    const page = issuesPage(4);
    const extractor = compileExtractor({
      fields: { count: 'length(@)', first: '[0].title', item: { path: '[0]', fields: { n: 'number' } } },
    });
    expect(extractor.extract(page, context(page)).records).toEqual([{ count: 1, first: 'Test issue 1', item: { n: 1 } }]);
  });

  it('treats a single object from `items` as one item and null as none', () => {
    const page = parsePage('{"data":{"id":7},"none":null}', 'application/json', 'https://api.example.com/x');
    const one = compileExtractor({ items: 'data', fields: { id: 'id' } }).extract(page, context(page));
    const none = compileExtractor({ items: 'none', fields: { id: 'id' } }).extract(page, context(page));
    expect(one.records).toEqual([{ id: 7 }]);
    expect(none.records).toEqual([]);
  });

  it('gives null for a JMESPath that fails on the data', () => {
    const page = issuesPage(0);
    const extractor = compileExtractor({ items: '[]', fields: { bad: 'abs(title)', title: 'title' } });
    expect(extractor.extract(page, context(page)).records[0]).toEqual({ bad: null, title: 'Test issue 13' });
  });

  it('rejects an invalid JMESPath when the JSON kind is compiled', () => {
    expect(() => compileExtractor({ items: 'items[', fields: { a: 'a' } }, { parse: 'json' })).toThrow(ExtractConfigError);
    expect(() => compileExtractor({ fields: { a: 'a..b' } }, { parse: 'json' })).toThrow(/field "a": invalid JMESPath "a\.\.b"/);
  });

  it('compiles each kind on its first page, so one block serves HTML and JSON pages', () => {
    // On the JSON page, `selector` reads the HTML that `path` gives.
    const extractor = compileExtractor({ fields: { title: { selector: 'h1', path: 'title' } } });
    const json = parsePage('{"title":"<h1>From JSON</h1>"}', 'application/json', 'https://x.example/a');
    const html = parsePage('<h1>From HTML</h1>', 'text/html', 'https://x.example/b');
    expect(extractor.extract(json, context(json)).records).toEqual([{ title: 'From JSON' }]);
    expect(extractor.extract(html, context(html)).records).toEqual([{ title: 'From HTML' }]);
  });

  it('says so when an HTML-only field meets a JSON page', () => {
    const extractor = compileExtractor({ fields: { title: { selector: 'h1' } } });
    const json = parsePage('{"title":"x"}', 'application/json', 'https://x.example/a');
    expect(() => extractor.extract(json, context(json))).toThrow(/field "title": has `selector` \(HTML\) but the page is JSON/);
  });
});
