// Crawlee's CheerioCrawler on the bench crawl, as its documentation writes one:
// a router by label, enqueueLinks for the detail and next links, pushData for records.
import { writeFileSync } from 'node:fs';
import type { CheerioAPI } from 'cheerio';
import { CheerioCrawler, Configuration, log } from 'crawlee';
import { peerConfig } from './profiles.ts';

/** `persistStorage` false keeps Crawlee's request queue and dataset in memory only. */
export async function runCrawlee(persistStorage: boolean): Promise<void> {
  const { start, out, concurrency, profile } = peerConfig();
  log.setLevel(log.LEVELS.WARNING);
  const config = new Configuration({ persistStorage });
  const crawler = new CheerioCrawler(
    {
      maxConcurrency: concurrency,
      async requestHandler({ request, $, enqueueLinks, pushData }) {
        if (request.label === 'DETAIL') {
          // Crawlee bundles its own cheerio (1.0.0-rc.12); the calls the profile makes are the same in both.
          await pushData(profile.extract($ as unknown as CheerioAPI, request.loadedUrl ?? request.url));
          return;
        }
        // The next listing first, then its details: the order of every crawler in the bench.
        await enqueueLinks({ selector: profile.next, label: 'LIST' });
        await enqueueLinks({ selector: profile.itemLinks, label: 'DETAIL' });
      },
    },
    config,
  );
  await crawler.run([{ url: start, label: 'LIST' }]);
  const { items } = await crawler.getData({ limit: 1_000_000 });
  writeFileSync(out, `${items.map((r) => JSON.stringify(r)).join('\n')}\n`);
}
