// Crawlee's PlaywrightCrawler on the bench's rendered site, as its documentation
// writes one (a router by label, enqueueLinks, pushData), on the same Chromium as
// ours: playwright-core's launcher with Debian's executable, no browser download.
// Storage in memory (persistStorage: false), as our crawler keeps no queue on disk
// either. Everything else is Crawlee's default (browser pool, fingerprints, autoscaling
// up to maxConcurrency).
import { writeFileSync } from 'node:fs';
import { Configuration, log, PlaywrightCrawler } from 'crawlee';
import { chromium } from 'playwright-core';

const start = process.env.BENCH_START!;
const out = process.env.BENCH_OUT!;
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? '8');
const executablePath = process.env.BENCH_CHROMIUM ?? '/usr/bin/chromium';

log.setLevel(log.LEVELS.WARNING);
const crawler = new PlaywrightCrawler(
  {
    maxConcurrency: concurrency,
    launchContext: { launcher: chromium, launchOptions: { executablePath, headless: true } },
    async requestHandler({ request, page, enqueueLinks, pushData }) {
      if (request.label === 'DETAIL') {
        await page.waitForSelector('h1.title:not(:empty)');
        const title = (await page.textContent('h1.title'))?.trim() ?? null;
        const price = (await page.textContent('p.price'))?.trim();
        await pushData({ url: request.loadedUrl ?? request.url, title, price: price ? Number(price) : null });
        return;
      }
      await page.waitForSelector('li.item a');
      await enqueueLinks({ selector: 'a.next', label: 'LIST' });
      await enqueueLinks({ selector: 'li.item a', label: 'DETAIL' });
    },
  },
  new Configuration({ persistStorage: false }),
);
await crawler.run([{ url: start, label: 'LIST' }]);
const { items } = await crawler.getData({ limit: 1_000_000 });
writeFileSync(out, `${items.map((r) => JSON.stringify(r)).join('\n')}\n`);
