import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startBooksSite, type RunningSite } from '../../demo/sites/books-site.ts';
import { startGithubSite } from '../../demo/sites/github-site.ts';
import { tryCommand } from '../../runtime/tools/cli/commands/try.ts';
import type { TryResult } from '../../runtime/tools/review/try-page.ts';
import { captureIO, exampleProject, ROOT } from './support.ts';

let site: RunningSite;
beforeAll(async () => (site = await startBooksSite({ detailCount: 30, perPage: 10 })));
afterAll(() => site.close());

const args = (...more: string[]) => ['collectors/books-toscrape.yaml', '--var', `base_url=${site.url}`, '--allow-private-network', ...more];

describe('collect try', () => {
  it('shows the request, each field of each item, the detail page and the next page', async () => {
    const io = captureIO(ROOT);
    expect(await tryCommand.run(args('--items', '2'), io)).toBe(0);
    const out = io.out();
    expect(out).toMatch(new RegExp(`^GET ${site.url}/catalogue/page-1\\.html → 200, \\d+ bytes, \\d+ ms, html\\n  10 records`));
    expect(out).toContain('  item 1\n    title   "A Light in the Attic"');
    expect(out).toMatch(/rating\s+3/);
    expect(out).toContain(`→ follow ${site.url}/catalogue/a-light-in-the-attic_1/index.html`);
    expect(out).toMatch(/price\s+51\.77/);
    expect(out).toMatch(/upc\s+"a897fe39b1053632"/);
    expect(out).toContain('... and 8 more records');
    expect(out).toContain(`next page: ${site.url}/catalogue/page-2.html`);
    // Only the first detail page was fetched.
    expect(site.hits.get('/catalogue/a-light-in-the-attic_1/index.html')).toBeGreaterThan(0);
    expect(site.hits.get('/catalogue/tipping-the-velvet_2/index.html')).toBeUndefined();
    // Items matched: no suggestions.
    expect(out).not.toContain('matched nothing');
    const json = captureIO(ROOT);
    expect(await tryCommand.run(args('--details', '0', '--format', 'json'), json)).toBe(0);
    expect(JSON.parse(json.out())).not.toHaveProperty('unmatchedItems');
  });

  it('marks empty fields and dropped items, and says where pagination stops', async () => {
    const dir = exampleProject(['books-toscrape'], false);
    const file = join(dir, 'collectors', 'books-toscrape.yaml');
    const text = readFileSync(file, 'utf8')
      .replace('selector: p.star-rating', 'selector: p.no-such-rating')
      .replace(/maxPages: \d+/, 'maxPages: 1');
    writeFileSync(file, text);
    const io = captureIO(dir);
    expect(await tryCommand.run(args('--url', `${site.url}/catalogue/page-3.html`, '--details', '0'), io)).toBe(0);
    const out = io.out();
    expect(out).toMatch(/rating\s+∅ empty/);
    expect(out).toContain('empty in every record: rating');
    expect(out).toContain('next page: none (stop rule maxPages)');
    expect(out).not.toContain('price');

    writeFileSync(file, text.replace('selector: p.no-such-rating', 'selector: p.no-such-rating\n      required: true'));
    const dropped = captureIO(dir);
    expect(await tryCommand.run(args('--details', '0'), dropped)).toBe(0);
    expect(dropped.out()).toContain('0 records, 10 items dropped');
    expect(dropped.out()).toMatch(/✗ item 1 dropped: field rating: /);
  });

  it('replays from a HAR with its variables, and reports a page that is not in it', async () => {
    const io = captureIO(ROOT);
    expect(await tryCommand.run(['collectors/github-issues.yaml', '--har', 'collectors/github-issues.har', '--format', 'json'], io)).toBe(
      0,
    );
    const r = JSON.parse(io.out()) as TryResult;
    expect(r.request.status).toBe(200);
    expect(r.records).toHaveLength(3);
    expect(r.records[0]!.record).toMatchObject({ id: 1000, title: 'Test issue 13' });
    expect(r.next).toMatchObject({ url: expect.stringMatching(/\/repositories\/1000\/issues\?per_page=3&page=2$/) });

    // A page of the recorded site (its robots.txt is in the recording) that is not in it.
    const har = JSON.parse(readFileSync(join(ROOT, 'collectors/github-issues.har'), 'utf8')) as {
      log: { entries: { request: { url: string } }[] };
    };
    const origin = new URL(har.log.entries[0]!.request.url).origin;
    const miss = captureIO(ROOT);
    expect(
      await tryCommand.run(['collectors/github-issues.yaml', '--har', 'collectors/github-issues.har', '--url', `${origin}/nope`], miss),
    ).toBe(1);
    expect(miss.out()).toContain(
      `RequestNotRecordedError: GET ${origin}/nope?per_page=3 is not in collectors/github-issues.har; re-record with collect record collectors/github-issues.yaml`,
    );
  });

  it('says when the items selector matches nothing and suggests the repeated elements of the page', async () => {
    const dir = exampleProject(['books-toscrape'], false);
    const file = join(dir, 'collectors', 'books-toscrape.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('items: article.product_pod', 'items: div.product'));
    const io = captureIO(dir);
    expect(await tryCommand.run(args(), io)).toBe(0);
    const out = io.out();
    expect(out).toContain(`\n  items "div.product" matched nothing on ${site.url}/catalogue/page-1.html\n`);
    expect(out).toContain(
      '  elements repeated on the page that could be the items (paste one as extract.items):\n    article.product_pod  (10×) "A Light in the Attic £51.77 In stock"\n',
    );
    expect(out).not.toMatch(/\d+ records?/);

    // A book page has no products list: its table rows and breadcrumb are what repeats.
    const detail = captureIO(dir);
    expect(await tryCommand.run(args('--url', `${site.url}/catalogue/a-light-in-the-attic_1/index.html`, '--format', 'json'), detail)).toBe(
      0,
    );
    const r = JSON.parse(detail.out()) as TryResult;
    expect(r.records).toEqual([]);
    expect(r.unmatchedItems).toEqual({
      items: 'div.product',
      url: `${site.url}/catalogue/a-light-in-the-attic_1/index.html`,
      candidates: [
        { items: 'tr', count: 7, sample: 'UPC a897fe39b1053632' },
        { items: 'ul.breadcrumb > li', count: 4, sample: 'Home' },
      ],
    });

    // The suggestion, pasted, extracts the records.
    writeFileSync(file, readFileSync(file, 'utf8').replace('items: div.product', 'items: article.product_pod'));
    const fixed = captureIO(dir);
    expect(await tryCommand.run(args('--details', '0'), fixed)).toBe(0);
    expect(fixed.out()).toContain('  10 records');
  });

  it('says when the items JMESPath matches nothing and lists the arrays of objects in the response', async () => {
    const github = await startGithubSite();
    try {
      const dir = exampleProject(['github-issues'], false);
      const file = join(dir, 'collectors', 'github-issues.yaml');
      writeFileSync(file, readFileSync(file, 'utf8').replace('items: "[]"', 'items: data.items'));
      const ghArgs = ['collectors/github-issues.yaml', '--var', `api_url=${github.url}`, '--allow-private-network'];
      const io = captureIO(dir);
      expect(await tryCommand.run(ghArgs, io)).toBe(0);
      const out = io.out();
      expect(out).toContain(
        `  items "data.items" matched nothing on ${github.url}/repos/octokit-fixture-org/paginate-issues/issues?per_page=3\n`,
      );
      expect(out).toContain(
        '  arrays of objects in the document that could be the items (paste one as extract.items):\n    []  (3 objects: url, repository_url, labels_url, comments_url, events_url, html_url, …)\n',
      );

      const json = captureIO(dir);
      expect(await tryCommand.run([...ghArgs, '--format', 'json'], json)).toBe(0);
      expect((JSON.parse(json.out()) as TryResult).unmatchedItems?.candidates).toEqual([
        { items: '[]', count: 3, sample: 'url, repository_url, labels_url, comments_url, events_url, html_url, …' },
      ]);
    } finally {
      await github.close();
    }
  });
});
