// Only where needed: a collector without a browser block never loads
// playwright-core (nor starts a browser); the first collector with one does.
// Vitest runs this file in a process of its own, so what is loaded is what
// this file's runs loaded.
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeSharedBrowser } from '../../runtime/core/browser/browser-process.ts';
import type { Collector } from '../../runtime/language/generated/collector.types.ts';
import { runInMemory } from '../helpers/collector.ts';
import { startRenderedSite, type RenderedSite } from './site.ts';

const require = createRequire(import.meta.url);
const playwrightLoaded = () => Object.keys(require.cache).some((file) => file.includes('/node_modules/playwright-core/'));

let site: RenderedSite;
beforeAll(async () => (site = await startRenderedSite()));
afterAll(async () => {
  await closeSharedBrowser();
  await site.close();
});

describe('playwright-core', () => {
  it('is not loaded by a collector without a browser block, and is by one with it', async () => {
    const collector: Collector = {
      name: 'lazy',
      start: { urls: [`${site.url}/list?page=1`] },
      extract: { items: 'li.item', fields: { name: 'a' } },
      output: 's3://test-bucket/lazy',
    };
    const plain = await runInMemory(collector);
    expect(plain.manifest.pages).toBe(1);
    expect(playwrightLoaded()).toBe(false);

    const rendered = await runInMemory({ ...collector, browser: { wait: { selector: 'li.item' } } });
    expect(rendered.sink.records()).toHaveLength(3);
    expect(playwrightLoaded()).toBe(true);
  });
});
