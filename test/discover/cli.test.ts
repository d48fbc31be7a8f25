// The CLI on discovery crawls and sitemaps: validate, run (the records of the
// engine's run), explain (kinds, rules, depth), try (the links each rule
// takes), and record then test: the replay needs no site, the gzipped sitemap
// included.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../runtime/tools/cli/main.ts';
import { readParts } from '../helpers/parts.ts';
import { itemPrice, type SectionSite, startSectionSite } from '../helpers/section-site.ts';
import { captureIO } from '../review/support.ts';

let site: SectionSite;
beforeAll(async () => {
  site = await startSectionSite();
});
afterAll(async () => {
  await site?.close();
});
beforeEach(() => site.resetCounts());

const CRAWL = `name: sections
owner: data-team
variables:
  base_url: https://example.com
start:
  urls: ["{{ base_url }}/"]
discover:
  - links: nav a.section
    as: section
pages:
  section:
    paginate: { type: next-link, selector: a.next }
    discover:
      - links: li.item a
        allow: ["/item/[0-9]+$"]
        as: item
  item:
    extract:
      fields:
        id: { selector: h1, attr: data-id, type: integer, required: true }
        price: { selector: .price, type: number }
    discover:
      - { links: a.related, as: item }
records: { dedupeKey: [id] }
expect: { minRecords: 9 }
output: s3://lake/crawl/{{ name }}
`;

const SITEMAP = `name: sitemap-items
owner: data-team
variables:
  base_url: https://example.com
start:
  sitemaps:
    - url: "{{ base_url }}/sitemap_index.xml"
      match: /item/
      as: item
pages:
  item:
    extract:
      fields:
        id: { selector: h1, attr: data-id, type: integer }
expect: { minRecords: 9 }
output: s3://lake/sitemap/{{ name }}
`;

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'collect-discover-'));
  mkdirSync(join(dir, 'collectors'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, 'collectors', `${name}.yaml`), text);
  return dir;
}

async function cli(dir: string, ...argv: string[]) {
  const io = captureIO(dir);
  const code = await main(argv, io);
  return { code, out: io.out(), err: io.err() };
}

const local = ['--allow-private-network'];

describe('collect on a discovery crawl', () => {
  it('validates, runs to the records of every item the rules reach, and explains the kinds and depth', async () => {
    const dir = project({ sections: CRAWL });
    expect((await cli(dir, 'validate', 'collectors/sections.yaml')).code).toBe(0);

    const run = await cli(dir, 'run', 'collectors/sections.yaml', '--var', `base_url=${site.url}`, '--out', 'out', ...local);
    expect(run.code).toBe(0);
    const records = readParts(join(dir, 'out')).sort((a, b) => Number(a.id) - Number(b.id));
    expect(records).toEqual(Array.from({ length: 9 }, (_, i) => ({ id: i + 1, price: itemPrice(i + 1) })));
    for (let n = 1; n <= 9; n++) expect(site.count(`/item/${n}`)).toBe(1);

    const explain = await cli(dir, 'explain', 'collectors/sections.yaml');
    expect(explain.code).toBe(0);
    expect(explain.out).toContain('Discovery crawl and sitemaps');
    expect(explain.out).toContain('kind start: no records');
    expect(explain.out).toContain('discover[0]: links nav a.section (href) on the same host -> pages of kind section, up to depth 3');
    expect(explain.out).toContain('kind item: one record a page (2 fields)');
    expect(explain.out).toMatch(/depth: at most 3 links from a start page; on AWS .* 4 invocations below the start/);
  });

  it('try shows the links each rule of the first page takes, and their kind', async () => {
    const dir = project({ sections: CRAWL });
    const tried = await cli(dir, 'try', 'collectors/sections.yaml', '--var', `base_url=${site.url}`, ...local);
    expect(tried.code).toBe(0);
    expect(tried.out).toContain('discover[0] "nav a.section" → 2 links, pages of kind section (maxDepth 3)');
    expect(tried.out).toContain(`    ${site.url}/section/b\n`); // its #top dropped
    const json = await cli(dir, 'try', 'collectors/sections.yaml', '--var', `base_url=${site.url}`, '--format', 'json', ...local);
    expect(JSON.parse(json.out).discovered).toEqual([
      {
        rule: 'discover[0]',
        links: 'nav a.section',
        as: 'section',
        maxDepth: 3,
        count: 2,
        first: [`${site.url}/section/a`, `${site.url}/section/b`],
      },
    ]);
  });

  it('records a crawl and a sitemap run, and replays both with no request to the site', async () => {
    const dir = project({ sections: CRAWL, 'sitemap-items': SITEMAP });
    for (const name of ['sections', 'sitemap-items']) {
      const rec = await cli(dir, 'record', `collectors/${name}.yaml`, '--var', `base_url=${site.url}`, ...local);
      expect(rec.code, rec.out + rec.err).toBe(0);
    }
    site.resetCounts();
    const test = await cli(dir, 'test', 'collectors/sections.yaml', 'collectors/sitemap-items.yaml');
    expect(test.code, test.out + test.err).toBe(0);
    expect(test.out).toMatch(/✓ sections: 9 records match/);
    expect(test.out).toMatch(/✓ sitemap-items: 9 records match/);
    expect(site.hits.size).toBe(0);
  });

  it('try on a sitemap collector tries the first page of its sitemaps, as its kind', async () => {
    const dir = project({ 'sitemap-items': SITEMAP });
    const tried = await cli(dir, 'try', 'collectors/sitemap-items.yaml', '--var', `base_url=${site.url}`, ...local);
    expect(tried.code).toBe(0);
    expect(tried.out).toContain(`GET ${site.url}/item/1 → 200`);
    expect(tried.out).toMatch(/id +1/);
  });
});
