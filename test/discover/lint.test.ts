// The validator on discovery crawls and sitemaps: exact messages and positions.
import { describe, expect, it } from 'vitest';
import { check } from '../spec/helpers.ts';

/** A crawl: lines 1-8 fixed, the rest given. */
function crawl(...lines: string[]): string {
  return `${[
    'name: t', // 1
    'owner: team@example.com', // 2
    'start:', // 3
    '  urls: ["https://example.com/"]', // 4
    'output: s3://bucket-a/raw', // 5
    'expect:', // 6
    '  minRecords: 1', // 7
    'discover:', // 8
    ...lines,
  ].join('\n')}\n`;
}

describe('lint of discovery crawls', () => {
  it('accepts a crawl whose start pages only discover, and kinds that extract or discover', () => {
    const text = crawl(
      '  - { links: nav a, as: section }', // 9
      'pages:', // 10
      '  section:', // 11
      '    paginate: { type: next-link, selector: a.next }', // 12
      '    discover: [{ links: li a, allow: ["/p/[0-9]+$"], deny: ["[?]print"], as: product }]', // 13
      '  product:', // 14
      '    extract: { fields: { title: h1, price: { selector: .price, type: number } } }', // 15
      'records: { dedupeKey: [title] }', // 16
    );
    expect(check(text)).toEqual([]);
  });

  it('names an unknown kind with a did-you-mean, and warns of a kind nothing leads to', () => {
    const text = crawl(
      '  - { links: nav a, as: sectoin }', // 9
      'pages:', // 10
      '  section:', // 11
      '    extract: { fields: { title: h1 } }', // 12
    );
    expect(check(text)).toEqual([
      'collectors/t.yaml:9:25 error discover[0].as: no kind of page "sectoin" (did you mean "section"?)',
      'collectors/t.yaml:11:3 warning pages.section: no discovery rule or sitemap leads to pages of kind "section": they are never fetched (add a rule with as: section, or remove the kind)',
    ]);
  });

  it('points at an invalid regex and an invalid links selector', () => {
    const text = crawl(
      '  - links: "a[href"', // 9
      '    allow: ["/p/(", "/ok/"]', // 10
      '    deny: ["[x"]', // 11
      '    as: start', // 12
      'extract: { fields: { title: h1 } }', // 13
    );
    const found = check(text);
    expect(found).toHaveLength(3);
    expect(found[0]).toMatch(/^collectors\/t\.yaml:9:12 error discover\[0\]\.links: invalid CSS selector "a\[href"/);
    expect(found[1]).toMatch(
      /^collectors\/t\.yaml:10:13 error discover\[0\]\.allow\[0\]: invalid regex "\/p\/\(": .* \(a JavaScript regular expression/,
    );
    expect(found[2]).toMatch(/^collectors\/t\.yaml:11:12 error discover\[0\]\.deny\[0\]: invalid regex "\[x"/);
  });

  it('refuses a kind with neither extract nor discover, and start pages that do nothing', () => {
    const text = `${[
      'name: t',
      'owner: team@example.com',
      'start:',
      '  urls: ["https://example.com/"]',
      'output: s3://bucket-a/raw',
      'expect: { minRecords: 1 }',
      'pages:', // 7
      '  empty:', // 8
      '    parse: html', // 9
    ].join('\n')}\n`;
    expect(check(text)).toEqual([
      'collectors/t.yaml:1:1 error the start pages need extract (their records) or discover (the pages they lead to) (extract: { fields: ... } takes records; discover: [{ links: a.item, as: KIND }] follows links)',
      'collectors/t.yaml:9:5 error pages.empty: pages of kind "empty" would do nothing: give them extract or discover (extract: { fields: ... } takes records; discover: [{ links: a.item, as: KIND }] follows links)',
    ]);
  });

  it('checks a kind’s fields, pagination and detail pages like the top level’s, at their own place', () => {
    const text = crawl(
      '  - { links: a, as: item }', // 9
      'pages:', // 10
      '  item:', // 11
      '    parse: json', // 12
      '    extract: { fields: { title: { selector: h1 } } }', // 13
      '    paginate: { type: page-number, in: path }', // 14
    );
    const found = check(text);
    expect(found).toHaveLength(2);
    expect(found[0]).toMatch(
      /^collectors\/t\.yaml:13:35 error pages\.item\.extract\.fields\.title\.selector: a field of a JSON page uses "path", not "selector"/,
    );
    expect(found[1]).toBe(
      'collectors/t.yaml:14:40 error pages.item.paginate.in: pages of kind "item" are found by their URL, which has no {{ page }} to fill (use in: query (or header, body) for the page number of a discovered page)',
    );
  });

  it('knows the fields every kind extracts, for the options that name record fields', () => {
    const text = crawl(
      '  - { links: a, as: item }', // 9
      'pages:', // 10
      '  item:', // 11
      '    extract: { fields: { sku: .sku } }', // 12
      'records: { dedupeKey: [sku, skew] }', // 13
    );
    expect(check(text)).toEqual(['collectors/t.yaml:13:29 error records.dedupeKey[1]: no field "skew" is extracted (fields: sku)']);
  });

  it('refuses "start" under pages', () => {
    const text = crawl(
      '  - { links: a, as: start }',
      'extract: { fields: { a: h1 } }',
      'pages:',
      '  start:',
      '    extract: { fields: { b: h2 } }',
    );
    expect(check(text)).toEqual([
      'collectors/t.yaml:12:3 error pages.start: "start" is the kind of the start pages: its parse, extract, follow, paginate and discover are the top-level ones (move them to the top level, or name this kind otherwise)',
    ]);
  });
});

describe('lint of sitemaps', () => {
  const sitemap = (...lines: string[]) =>
    `${['name: t', 'owner: team@example.com', 'output: s3://bucket-a/raw', 'expect: { minRecords: 1 }', 'start:', '  sitemaps:', ...lines, 'pages:', '  item: { extract: { fields: { title: h1 } } }'].join('\n')}\n`;

  it('accepts a sitemap whose pages are a kind, with a template URL', () => {
    expect(check(sitemap('    - { url: "https://example.com/{{ name }}.xml", match: "/p/", as: item, since: "2024-01-01" }'))).toEqual([]);
  });

  it('names an unknown kind, a bad match and a since that is not a date', () => {
    expect(check(sitemap('    - { url: "https://example.com/s.xml", match: "(", as: itme, since: yesterday }'))).toEqual([
      'collectors/t.yaml:7:50 error start.sitemaps[0].match: invalid regex "(": Invalid regular expression: /(/: Unterminated group (a JavaScript regular expression; escape . ? + ( ) with a backslash to match them as they are)',
      'collectors/t.yaml:7:59 error start.sitemaps[0].as: no kind of page "itme" (did you mean "item"?)',
      'collectors/t.yaml:7:72 error start.sitemaps[0].since: since "yesterday" is not a date (write 2024-06-01 or 2024-06-01T00:00:00Z)',
      'collectors/t.yaml:9:3 warning pages.item: no discovery rule or sitemap leads to pages of kind "item": they are never fetched (add a rule with as: item, or remove the kind)',
    ]);
  });

  it('needs urls or sitemaps, and a sitemap URL’s variables declared', () => {
    const none = `${['name: t', 'owner: team@example.com', 'output: s3://bucket-a/raw', 'expect: { minRecords: 1 }', 'start: {}', 'extract: { fields: { a: h1 } }'].join('\n')}\n`;
    expect(check(none)).toEqual([
      'collectors/t.yaml:1:1 warning there are no start pages (no start.urls, and no sitemap or rule leads to kind start): the top-level extract and discover are never used (add start.urls, or move them under the kind the sitemaps name)',
      'collectors/t.yaml:5:8 error start: start needs urls or sitemaps (urls: the first pages; sitemaps: sitemap.xml files whose pages are the seeds)',
    ]);
    // A plain sitemap URL seeds start pages: here there are none to read them.
    expect(check(sitemap('    - "https://example.com/{{ site }}.xml"'))).toEqual([
      'collectors/t.yaml:1:1 error the start pages need extract (their records) or discover (the pages they lead to) (extract: { fields: ... } takes records; discover: [{ links: a.item, as: KIND }] follows links)',
      'collectors/t.yaml:7:28 error start.sitemaps[0]: undefined variable "site" (declare it under variables, or use name, runId, date)',
      'collectors/t.yaml:9:3 warning pages.item: no discovery rule or sitemap leads to pages of kind "item": they are never fetched (add a rule with as: item, or remove the kind)',
    ]);
  });
});
