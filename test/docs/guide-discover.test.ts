// The examples of docs/guide.md's "Discovery crawls" and "Sitemaps" sections,
// taken from the guide as written and run with `collect run` against the local
// section site: the records they promise, each page fetched once, and the
// sitemap example's second run fetching only the page that changed.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../runtime/tools/cli/main.ts';
import { tempDir } from '../helpers/collector.ts';
import { readParts } from '../helpers/parts.ts';
import { itemPrice, type SectionSite, startSectionSite } from '../helpers/section-site.ts';
import { captureIO } from '../review/support.ts';

const guide = readFileSync(fileURLToPath(new URL('../../docs/guide.md', import.meta.url)), 'utf8');

function example(name: string): string {
  const m = new RegExp(`\`\`\`yaml\\n# collectors/${name}\\.yaml\\n([\\s\\S]*?)\`\`\``).exec(guide);
  if (!m) throw new Error(`docs/guide.md has no example collectors/${name}.yaml`);
  return m[1]!;
}

let site: SectionSite;
beforeAll(async () => {
  site = await startSectionSite();
});
afterAll(async () => {
  await site?.close();
});

async function run(dir: string, name: string, out: string) {
  const io = captureIO(dir);
  const code = await main(['run', `collectors/${name}.yaml`, '--var', `base_url=${site.url}`, '--out', out, '--allow-private-network'], io);
  return { code, text: io.out() + io.err(), records: readParts(join(dir, out)).sort((a, b) => Number(a.id) - Number(b.id)) };
}

function project(name: string): string {
  const dir = tempDir();
  mkdirSync(join(dir, 'collectors'));
  writeFileSync(join(dir, 'collectors', `${name}.yaml`), example(name));
  return dir;
}

describe('docs/guide.md: discovery crawls and sitemaps', () => {
  it('runs the discovery crawl example: every item once, as far as the rules reach', async () => {
    site.resetCounts();
    const dir = project('discover-example');
    const { code, records, text } = await run(dir, 'discover-example', 'out');
    expect(code, text).toBe(0);
    expect(records).toEqual(Array.from({ length: 9 }, (_, i) => ({ id: i + 1, price: itemPrice(i + 1) })));
    for (let n = 1; n <= 9; n++) expect(site.count(`/item/${n}`)).toBe(1);
    expect(site.count('/item/10')).toBe(0); // depth 4: past maxDepth 3
  });

  it('runs the sitemap example, and its second run fetches only the item whose lastmod changed', async () => {
    site.resetCounts();
    const dir = project('sitemap-example');
    const first = await run(dir, 'sitemap-example', 'out');
    expect(first.code, first.text).toBe(0);
    expect(first.records.map((r) => r.id)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(first.records[0]).toEqual({ id: 1, updated: '2024-01-01T00:00:00.000Z' });
    // The records aside; the state (out/.collect) stays for the next run.
    renameSync(join(dir, 'out', 'my-data-lake'), join(dir, 'first-run'));

    site.resetCounts();
    site.touch(5, '2024-04-01');
    const second = await run(dir, 'sitemap-example', 'out');
    expect(second.code, second.text).toBe(0);
    expect(second.records).toEqual([{ id: 5, updated: '2024-04-01T00:00:00.000Z' }]);
    expect([...site.hits.keys()].filter((k) => k.startsWith('/item/'))).toEqual(['/item/5']);
  });
});
