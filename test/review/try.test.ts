import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startBooksSite, type RunningSite } from '../../demo/sites/books-site.ts';
import { tryCommand } from '../../runtime/cli/commands/try.ts';
import type { TryResult } from '../../runtime/review/try-page.ts';
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
    expect(await tryCommand.run(['collectors/github-issues.yaml', '--har', 'collectors/github-issues.har', '--format', 'json'], io)).toBe(0);
    const r = JSON.parse(io.out()) as TryResult;
    expect(r.request.status).toBe(200);
    expect(r.records).toHaveLength(3);
    expect(r.records[0]!.record).toMatchObject({ id: 1000, title: 'Test issue 13' });
    expect(r.next).toMatchObject({ url: expect.stringMatching(/\/repositories\/1000\/issues\?per_page=3&page=2$/) });

    const miss = captureIO(ROOT);
    expect(await tryCommand.run(['collectors/github-issues.yaml', '--har', 'collectors/github-issues.har', '--url', 'http://127.0.0.1:9/nope'], miss)).toBe(1);
    expect(miss.out()).toContain('RequestNotRecordedError: GET http://127.0.0.1:9/nope?per_page=3 is not in collectors/github-issues.har; re-record with collect record collectors/github-issues.yaml');
  });
});
