// The examples of docs/guide.md's "Richer items" and "XML, feeds and CSV" sections, run
// through the CLI against a local site: items over sibling rows, fields from outside the item,
// JSON-LD and a JavaScript variable on detail pages, and an RSS feed in two pages. Then what
// those sections say of CSV, TSV and XML APIs, end to end: a CSV export paged by number, TSV,
// an XML API read with XPath, and what try and explain print for them.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSite } from '../../demo/sites/books-site.ts';
import { main } from '../../runtime/tools/cli/main.ts';
import { tempDir } from '../helpers/collector.ts';
import { findFiles, readParts } from '../helpers/parts.ts';
import { startFormatsSite } from '../extract/formats-site.ts';

const guide = readFileSync(fileURLToPath(new URL('../../docs/guide.md', import.meta.url)), 'utf8');

/** The collector example a section of the guide holds, by the file name in its first line. */
function example(name: string): string {
  const m = new RegExp(`\`\`\`yaml\\n# collectors/${name}\\.yaml\\n([\\s\\S]*?)\`\`\``).exec(guide);
  if (!m) throw new Error(`docs/guide.md has no example collectors/${name}.yaml`);
  return m[1]!;
}

async function cli(dir: string, args: string[]): Promise<{ code: number; text: string }> {
  const out = new PassThrough();
  let text = '';
  out.on('data', (c: Buffer) => (text += c.toString()));
  const code = await main(args, { stdout: out, stderr: out, cwd: dir, env: process.env });
  return { code, text };
}

async function runExample(name: string, base: string) {
  const dir = tempDir();
  mkdirSync(join(dir, 'collectors'));
  writeFileSync(join(dir, 'collectors', `${name}.yaml`), example(name));
  const file = `collectors/${name}.yaml`;
  const run = await cli(dir, ['run', file, '--out', 'out', '--allow-private-network', '--var', `base_url=${base}`]);
  return { ...run, dir, file, records: existsSync(join(dir, 'out')) ? readParts(join(dir, 'out')) : [] };
}

function project(name: string, yaml: string): string {
  const dir = tempDir();
  mkdirSync(join(dir, 'collectors'));
  writeFileSync(join(dir, 'collectors', `${name}.yaml`), yaml);
  return dir;
}

async function runCollector(name: string, yaml: string) {
  const dir = project(name, yaml);
  const r = await cli(dir, ['run', `collectors/${name}.yaml`, '--out', 'out', '--allow-private-network']);
  return { ...r, dir, records: existsSync(join(dir, 'out')) ? readParts(join(dir, 'out')) : [] };
}

describe('guide: richer items, XML, feeds and CSV', () => {
  let site: RunningSite;
  beforeAll(async () => {
    site = await startFormatsSite();
  });
  afterAll(async () => {
    await site.close();
  });

  it('deals-example reads items over sibling rows, fields outside them, and JSON-LD and a variable on each product page', async () => {
    const { code, text, records } = await runExample('deals-example', site.url);
    expect(code, text).toBe(0);
    const byTitle = (t: string) => records.find((r) => r.title === t);
    expect(records).toHaveLength(3);
    expect(byTitle('Kettle')).toEqual({
      title: 'Kettle',
      url: `${site.url}/product/1`,
      votes: 12,
      section: 'Kitchen',
      updated: '2024-03-01T08:00:00.000Z',
      price: 29.9,
      currency: 'EUR',
      sku: 'K-100',
    });
    expect(byTitle('Desk lamp')).toMatchObject({ votes: 3, section: 'Office', price: 45.5, sku: 'L-300' });
  });

  it('feed-example reads an RSS feed with prefixed names and XPath, following its atom:link to the second page', async () => {
    const { code, text, records } = await runExample('feed-example', site.url);
    expect(code, text).toBe(0);
    expect(records.map((r) => r.title)).toEqual([1, 2, 3, 4, 5].map((n) => `Story ${n} & more`));
    expect(records[0]).toEqual({
      title: 'Story 1 & more',
      url: `${site.url}/story/1`,
      published: '2024-01-01T10:00:00.000Z',
      author: 'Ada',
      categories: ['c1'],
      feed: 'Local news',
    });
    expect(site.hits.get('/feed.xml?page=2')).toBe(1);
  });

  it('collect try shows the format read, and collect explain how pages are read', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'collectors'));
    writeFileSync(join(dir, 'collectors', 'feed-example.yaml'), example('feed-example'));
    const tried = await cli(dir, ['try', 'collectors/feed-example.yaml', '--allow-private-network', '--var', `base_url=${site.url}`]);
    expect(tried.code, tried.text).toBe(0);
    expect(tried.text).toMatch(/GET http:\/\/127\.0\.0\.1:\d+\/feed\.xml → 200, \d+ bytes, \d+ ms, xml\n/);
    expect(tried.text).toContain('3 records');
    const explained = await cli(dir, ['explain', 'collectors/feed-example.yaml']);
    expect(explained.code, explained.text).toBe(0);
    expect(explained.text).toContain('How pages are read');
    expect(explained.text).toContain('pages: read as XML');
    expect(explained.text).toContain('feed from the whole page, by XPath');
  });
});

describe('CSV, TSV and XML through the CLI', () => {
  let site: RunningSite;
  beforeAll(async () => {
    site = await startFormatsSite();
  });
  afterAll(async () => {
    await site.close();
  });

  const csvCollector = (name: string, path: string) => `name: ${name}
owner: data-team@example.com
start:
  urls: ["${'{{ base }}'}${path}"]
variables:
  base: BASE
extract:
  fields:
    id: { column: id, type: integer, required: true }
    name: name
    price: { column: 3, type: number }
paginate:
  type: page-number
  param: page
  start: 1
  stop: { maxPages: 10 }
output: s3://bucket-a/raw/{{ name }}
`;

  it('pages through a CSV export by number until a page has no rows', async () => {
    const yaml = csvCollector('csv-e2e', '/export.csv').replace('BASE', site.url);
    const { code, text, records } = await runCollector('csv-e2e', yaml);
    expect(code, text).toBe(0);
    expect(records.map((r) => r.id)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(records[0]).toEqual({ id: 1, name: 'name 1; "quoted"', price: 1.5 });
    expect(records[6]).toEqual({ id: 7, name: 'name 7; "quoted"', price: 7.5 });
    // Page 4 has the header only: the chain stops there.
    expect(site.hits.get('/export.csv?page=4')).toBe(1);
    expect(site.hits.get('/export.csv?page=5')).toBeUndefined();
  });

  it('reads TSV by its Content-Type', async () => {
    const yaml = csvCollector('tsv-e2e', '/export.tsv').replace('BASE', site.url);
    const { code, text, records } = await runCollector('tsv-e2e', yaml);
    expect(code, text).toBe(0);
    expect(records).toHaveLength(7);
    expect(records[1]).toEqual({ id: 2, name: 'name 2', price: 2.5 });
  });

  it('shows the CSV format in collect try', async () => {
    const dir = project('csv-try', csvCollector('csv-try', '/export.csv').replace('BASE', site.url));
    const tried = await cli(dir, ['try', 'collectors/csv-try.yaml', '--allow-private-network']);
    expect(tried.code, tried.text).toBe(0);
    expect(tried.text).toContain(', csv (delimiter ";")\n');
    expect(tried.text).toContain('3 records');
  });

  it('reads an XML API in a default namespace with XPath items and fields', async () => {
    const yaml = `name: stations-e2e
owner: data-team@example.com
start:
  urls: ["${site.url}/api/stations"]
extract:
  items: //stations/station
  fields:
    id: { xpath: "@id", required: true }
    name: name
    celsius: { xpath: "reading", type: number }
    unit: { xpath: "string(reading/@unit)" }
output: s3://bucket-a/raw/{{ name }}
`;
    const { code, text, records } = await runCollector('stations-e2e', yaml);
    expect(code, text).toBe(0);
    expect(records).toEqual([
      { id: 's1', name: 'North', celsius: 4.5, unit: 'C' },
      { id: 's2', name: 'South', celsius: 11, unit: 'C' },
    ]);
  });

  it('explain says how a CSV collector reads its pages', async () => {
    const dir = project(
      'csv-explain',
      csvCollector('csv-explain', '/export.csv').replace('BASE', site.url).replace('extract:', 'parse: csv\nextract:'),
    );
    const explained = await cli(dir, ['explain', 'collectors/csv-explain.yaml']);
    expect(explained.code, explained.text).toBe(0);
    expect(explained.text).toContain(
      'pages: read as CSV (header row, then one item per row, delimiter from the header row); fields name columns',
    );
    expect(explained.text).toContain('price column 3');
  });

  it('reports embedded JavaScript that is not JSON as a warning of the run and in collect try, and keeps the record', async () => {
    const yaml = `name: broken-e2e
owner: data-team@example.com
start:
  urls: ["${site.url}/broken"]
parse: html
extract:
  fields:
    title: h1
    items: { json: window.__STATE__, path: items }
output: s3://bucket-a/raw/{{ name }}
`;
    const { code, text, dir, records } = await runCollector('broken-e2e', yaml);
    expect(code, text).toBe(0);
    expect(records).toEqual([{ title: 'Broken', items: null }]);
    const manifest = JSON.parse(readFileSync(findFiles(join(dir, 'out'), /^_manifest\.json$/)[0]!, 'utf8')) as { warnings: string[] };
    expect(manifest.warnings).toContain(
      'field "items": the literal is not valid JSON (syntax error at character 1); JavaScript is never evaluated',
    );
    const tried = await cli(dir, ['try', 'collectors/broken-e2e.yaml', '--allow-private-network']);
    expect(tried.text).toContain('  ! field "items": the literal is not valid JSON');
  });
});
