// collect record against a local copy of books.toscrape.com, then collect test
// on the recording: it passes with no server, a changed expected file gives a
// field-by-field diff and exit 1, --update rewrites it, and a request that is
// not in the recording fails with its URL and the re-record hint.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBooksSite, type RunningSite } from '../../demo/sites/books-site.ts';
import { recordCommand } from '../../runtime/tools/cli/commands/record.ts';
import { testCommand } from '../../runtime/tools/cli/commands/test.ts';
import type { Har } from '../../runtime/tools/review/har.ts';
import { captureIO, exampleProject } from './support.ts';

let site: RunningSite;
let dir: string;
/** The site's address when it was recorded (the replay keeps using it). */
let recordedUrl: string;
const harFile = () => join(dir, 'collectors', 'books-toscrape.har');
const expectedFile = () => join(dir, 'collectors', 'books-toscrape.expected.jsonl');

beforeAll(async () => {
  site = await startBooksSite({ detailCount: 40, perPage: 4 });
  dir = exampleProject(['books-toscrape'], false);
  const io = captureIO(dir);
  const code = await recordCommand.run(
    ['collectors/books-toscrape.yaml', '--var', `base_url=${site.url}`, '--allow-private-network', '--max-pages', '2'],
    io,
  );
  expect(io.out()).toContain('recorded 11 requests'); // robots.txt, 2 listing pages, 8 detail pages
  expect(code).toBe(0);
  recordedUrl = site.url;
});
afterAll(() => site.close());

describe('collect record', () => {
  it('writes a HAR 1.2 file with every exchange and the inputs of the run', () => {
    const har = JSON.parse(readFileSync(harFile(), 'utf8')) as Har;
    expect(har.log.version).toBe('1.2');
    expect(har.log.creator.name).toBe('collect');
    // robots.txt (the site has none: 404), 2 listing pages of 4 books, and the 8 detail pages.
    expect(har.log.entries).toHaveLength(11);
    expect(har.log.entries[0]!.request.url).toBe(`${site.url}/robots.txt`);
    expect(har.log.entries[1]!.request.url).toBe(`${site.url}/catalogue/page-1.html`);
    expect(har.log.entries[1]!.response.status).toBe(200);
    expect(har.log.entries[1]!.response.content.text).toContain('product_pod');
    expect(har.log.entries[1]!.response.content.mimeType).toBe('text/html; charset=utf-8');
    expect(har.log._collect).toMatchObject({
      collector: 'books-toscrape',
      vars: { base_url: site.url },
      maxPages: 2,
      summary: { pages: 10, listingPages: 2, items: 8, records: 8, complete: false },
    });
  });

  it('writes the expected records beside the collector', () => {
    const lines = readFileSync(expectedFile(), 'utf8').trim().split('\n');
    expect(lines).toHaveLength(8);
    expect(JSON.parse(lines[0]!)).toMatchObject({ title: 'A Light in the Attic', price: 51.77, upc: 'a897fe39b1053632', rating: 3 });
  });
});

describe('collect test', () => {
  it('passes with the site stopped: the replay needs no network', async () => {
    await site.close();
    const io = captureIO(dir);
    const code = await testCommand.run([], io);
    expect(io.out()).toContain('✓ books-toscrape: 8 records match collectors/books-toscrape.expected.jsonl (11 requests replayed');
    expect(io.out()).toContain('fill rates: title 100%');
    expect(code).toBe(0);
    site = await startBooksSite({ detailCount: 40, perPage: 4 });
  });

  it('prints a field-by-field diff and exits 1 when the expected records differ; --update rewrites them', async () => {
    const original = readFileSync(expectedFile(), 'utf8');
    const records = original
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    records[1]!.price = 99.99;
    delete records[2]!.upc;
    records[3]!.colour = 'red';
    writeFileSync(expectedFile(), `${records.map((r) => JSON.stringify(r)).join('\n')}\n`);

    const io = captureIO(dir);
    expect(await testCommand.run(['collectors/books-toscrape.yaml'], io)).toBe(1);
    const out = io.out();
    expect(out).toContain('✗ books-toscrape');
    expect(out).toContain('records differ from collectors/books-toscrape.expected.jsonl: 3 changed');
    expect(out).toMatch(
      /record 2 \(url "http:\/\/127\.0\.0\.1:\d+\/catalogue\/tipping-the-velvet_2\/index\.html"\): 1 field differs\n\s+price: expected 99\.99, got 53\.74/,
    );
    expect(out).toMatch(/upc: not expected, got "[0-9a-f]{16}" \(new field\)/);
    expect(out).toContain('colour: expected "red", got nothing (field missing)');
    expect(out).toContain('collect test collectors/books-toscrape.yaml --update');

    const update = captureIO(dir);
    expect(await testCommand.run(['collectors/books-toscrape.yaml', '--update'], update)).toBe(0);
    expect(update.out()).toContain('wrote 8 records to collectors/books-toscrape.expected.jsonl');
    expect(readFileSync(expectedFile(), 'utf8')).toBe(original);
    expect(await testCommand.run([], captureIO(dir))).toBe(0);
  });

  it('fails a request that is not in the recording with its URL and the re-record hint', async () => {
    const text = readFileSync(harFile(), 'utf8');
    // One more page per chain than was recorded: the replay asks for page 3.
    const har = JSON.parse(text) as Har;
    har.log._collect!.maxPages = 3;
    writeFileSync(harFile(), JSON.stringify(har));
    try {
      const io = captureIO(dir);
      expect(await testCommand.run([], io)).toBe(1);
      expect(io.out()).toContain(
        `RequestNotRecordedError: GET ${recordedUrl}/catalogue/page-3.html is not in collectors/books-toscrape.har; re-record with collect record collectors/books-toscrape.yaml`,
      );
    } finally {
      writeFileSync(harFile(), text);
    }
    expect(await testCommand.run([], captureIO(dir))).toBe(0);
  });

  it('lists a collector that has no recording with the command that makes one; fails it only with --require-recordings', async () => {
    const empty = exampleProject(['github-issues'], false);
    const io = captureIO(empty);
    expect(await testCommand.run([], io)).toBe(0);
    expect(io.out()).toContain(
      '- github-issues: no recording (record one with: npx collect record collectors/github-issues.yaml --max-pages 2)',
    );
    const required = captureIO(empty);
    expect(await testCommand.run(['--require-recordings'], required)).toBe(1);
    expect(required.out()).toContain('✗ github-issues: no recording');
  });
});
