// The guide's "Pages that need a browser" example, taken from docs/guide.md as
// a reader copies it, runs against a local site whose items and detail pages
// are made by script: every item of every listing page, with the title its
// detail page rendered; `collect explain` says the browser function loads them.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCollectorText } from '../../runtime/language/load.ts';
import { startRenderedSite, type RenderedSite } from '../browser/site.ts';
import { tempDir } from '../helpers/collector.ts';
import { readParts } from '../helpers/parts.ts';
import { runCliInProcess } from '../reliability/cli.ts';

const guide = readFileSync(fileURLToPath(new URL('../../docs/guide.md', import.meta.url)), 'utf8');
const section = guide.slice(guide.indexOf('## Pages that need a browser'), guide.indexOf('## Network guard'));
const example = /```yaml\n# collectors\/browser-example\.yaml\n([\s\S]*?)```/.exec(section)?.[1];

let site: RenderedSite;
let dir: string;
beforeAll(async () => {
  site = await startRenderedSite({ pages: 2 });
  dir = tempDir('collect-guide-browser-');
  mkdirSync(join(dir, 'collectors'));
  writeFileSync(join(dir, 'collectors', 'browser-example.yaml'), example ?? '');
});
afterAll(() => site.close());

describe('guide: pages that need a browser', () => {
  it('has the example in its section, and it validates without errors or warnings', () => {
    expect(example).toBeDefined();
    const { diagnostics } = loadCollectorText(example!, 'collectors/browser-example.yaml');
    expect(diagnostics.filter((d) => !/no (expect block|owner)/.test(d.message))).toEqual([]);
  });

  it('renders the listing and detail pages and extracts every item', async () => {
    const cli = await runCliInProcess(
      ['run', 'collectors/browser-example.yaml', '--out', 'out', '--allow-private-network', '--var', `base_url=${site.url}`],
      { cwd: dir },
    );
    expect(cli.stderr).not.toMatch(/failed:/);
    expect(cli.code).toBe(0);
    const records = readParts(join(dir, 'out'));
    expect(records.map((r) => r.name).sort()).toEqual(['Item 1', 'Item 2', 'Item 3', 'Item 4', 'Item 5', 'Item 6']);
    for (const r of records) expect(r).toMatchObject({ title: r.name, url: expect.stringMatching(new RegExp(`^${site.url}/item/\\d$`)) });
    // Over plain HTTP there was nothing: the browser made the script's requests.
    expect(site.hits('/api/items')).toHaveLength(2);
  });

  it('explain says which function loads the pages, and how', async () => {
    const cli = await runCliInProcess(['explain', 'collectors/browser-example.yaml'], { cwd: dir });
    expect(cli.code).toBe(0);
    expect(cli.stdout).toMatch(
      /Where pages are loaded\n {2}every page \(listing, next and detail pages\) rendered in headless Chromium, on the browser function collect-browser \(2048 MB, x86_64\)/,
    );
    expect(cli.stdout).toContain('a page is read after the load event, then selector "li.item, h1.title:not(:empty)", within 20 s');
    expect(cli.stdout).toContain('then scrolled to the bottom while new items appear, at most 10 times');
  });
});
