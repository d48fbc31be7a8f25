// Collectors with a `browser` block, run end to end (local driver, the whole
// fetch stack) against a site whose items are made by script: the same
// collector over plain HTTP finds nothing, with the browser it finds every
// item, follows the next links and renders the detail pages; scrolling and a
// "load more" button load everything before the page is read; a page that
// never shows its selector fails alone, naming the condition.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeSharedBrowser, keepBrowserWarm } from '../../runtime/core/browser/browser-process.ts';
import type { Collector } from '../../runtime/language/generated/collector.types.ts';
import { runInMemory } from '../helpers/collector.ts';
import { startRenderedSite, type RenderedSite } from './site.ts';

let site: RenderedSite;
beforeAll(async () => {
  site = await startRenderedSite({ pages: 3 });
  // One browser for the whole file, as on Lambda; closed at the end.
  keepBrowserWarm();
});
afterAll(async () => {
  await closeSharedBrowser();
  await site.close();
});

function listCollector(extra: Partial<Collector> = {}): Collector {
  return {
    name: 'rendered',
    start: { urls: [`${site.url}/list?page=1`] },
    extract: { items: 'li.item', fields: { name: 'a', price: { selector: '.price', type: 'number' } } },
    output: 's3://test-bucket/rendered',
    ...extra,
  };
}

describe('pages rendered in a browser', () => {
  it('finds the items a script renders, through next links and detail pages, which plain HTTP does not', async () => {
    const plain = await runInMemory(listCollector({ paginate: { type: 'next-link', selector: 'a.next' } }));
    expect(plain.sink.records()).toEqual([]);
    expect(plain.manifest.pages).toBe(1);

    const rendered = await runInMemory(
      listCollector({
        browser: { wait: { selector: 'li.item, h1.title:not(:empty)' } },
        paginate: { type: 'next-link', selector: 'a.next' },
        follow: { selector: 'a', extract: { fields: { title: 'h1.title' } } },
      }),
    );
    const records = rendered.sink.records();
    expect(records.map((r) => r.name)).toEqual(['Item 1', 'Item 2', 'Item 3', 'Item 4', 'Item 5', 'Item 6', 'Item 7', 'Item 8', 'Item 9']);
    expect(records[0]).toMatchObject({ name: 'Item 1', price: 1.5, title: 'Item 1' });
    expect(records.every((r) => r.title === r.name)).toBe(true);
    expect(rendered.manifest.pages).toBe(3 + 9);
    expect(rendered.failures).toEqual([]);
    // The items came from the script's XHR, made by the browser.
    expect(site.hits('/api/items').length).toBeGreaterThanOrEqual(3);
  });

  it('renders only the pages of a kind that asks for a browser (pages.KIND.browser); the others stay plain HTTP', async () => {
    const scripts = site.hits('/static/list.js').length;
    const run = await runInMemory({
      name: 'rendered-kind',
      // The start page is read over HTTP: its static next link leads to a page of the kind "rendered".
      start: { urls: [`${site.url}/list?page=1`] },
      discover: [{ links: 'a.next', as: 'rendered' }],
      pages: {
        rendered: {
          browser: { wait: { selector: 'li.item' } },
          extract: { items: 'li.item', fields: { name: 'a', price: { selector: '.price', type: 'number' } } },
        },
      },
      output: 's3://test-bucket/rendered-kind',
    });
    expect(run.failures).toEqual([]);
    expect(run.sink.records().map((r) => r.name)).toEqual(['Item 4', 'Item 5', 'Item 6']);
    // Only the rendered page ran the script that fills the list.
    expect(site.hits('/static/list.js').length - scripts).toBe(1);
  });

  it('scrolls until no new items appear', async () => {
    const once = await runInMemory(listCollector({ start: { urls: [`${site.url}/scroll`] }, browser: { wait: { selector: 'li.item' } } }));
    expect(once.sink.records()).toHaveLength(10);
    const scrolled = await runInMemory(
      listCollector({
        start: { urls: [`${site.url}/scroll`] },
        browser: { wait: { selector: 'li.item' }, scroll: { maxScrolls: 20, settleSeconds: 1 } },
      }),
    );
    const names = scrolled.sink.records().map((r) => r.name);
    expect(names).toHaveLength(45);
    expect(names.at(-1)).toBe('Item 45');
  });

  it('stops scrolling at maxScrolls', async () => {
    const run = await runInMemory(
      listCollector({
        start: { urls: [`${site.url}/scroll`] },
        browser: { wait: { selector: 'li.item' }, scroll: { maxScrolls: 2, settleSeconds: 1 } },
      }),
    );
    expect(run.sink.records()).toHaveLength(30);
  });

  it('clicks "load more" until the button is gone', async () => {
    const run = await runInMemory(
      listCollector({
        start: { urls: [`${site.url}/more`] },
        browser: { wait: { selector: 'li.item' }, click: { selector: 'button.load-more', maxClicks: 10, settleSeconds: 1 } },
      }),
    );
    const names = run.sink.records().map((r) => r.name);
    expect(names).toHaveLength(35);
    expect(new Set(names).size).toBe(35);
  });

  it('fails a page that never reaches its wait condition, naming it, and goes on with the others', async () => {
    const run = await runInMemory(
      listCollector({
        start: { urls: [`${site.url}/never`, `${site.url}/list?page=1`] },
        browser: { wait: { selector: 'li.item', timeoutSeconds: 3 } },
      }),
    );
    expect(run.sink.records()).toHaveLength(3);
    expect(run.failures).toHaveLength(1);
    expect(run.failures[0]).toMatchObject({ url: `${site.url}/never`, error: 'BrowserWaitError' });
    expect(run.failures[0]!.message).toContain('never reached its wait condition: selector "li.item" (browser.wait.selector) within 3 s');
    expect(run.manifest.status).toBe('failed');
  });

  it('answers an accepted status as an empty page', async () => {
    const run = await runInMemory(
      listCollector({
        start: { urls: [`${site.url}/missing`, `${site.url}/gone`] },
        request: { acceptStatuses: [404], retries: { attempts: 0 } },
        browser: {},
      }),
    );
    expect(run.sink.records()).toEqual([]);
    expect(run.failures).toEqual([]);
    expect(run.manifest.pages).toBe(2);
  });
});
