// The floor: a hand-written crawler on undici and cheerio/slim with a FIFO queue
// and a fixed number of workers. No retries, no politeness, no storage: what
// JavaScript costs for this crawl before any framework.
import { writeFileSync } from 'node:fs';
import { load } from 'cheerio/slim';
import { Agent, request } from 'undici';
import { peerConfig, type PeerRecord } from './profiles.ts';

const { start, out, concurrency, profile } = peerConfig();
const dispatcher = new Agent({ connections: concurrency });
const queue: string[] = [start];
const seen = new Set(queue);
const records: PeerRecord[] = [];
let active = 0;

function enqueue(href: string | undefined, base: string): void {
  if (!href) return;
  const url = new URL(href, base).href;
  if (seen.has(url)) return;
  seen.add(url);
  queue.push(url);
}

async function visit(url: string): Promise<void> {
  const res = await request(url, { dispatcher });
  const html = await res.body.text();
  if (res.statusCode !== 200) throw new Error(`${url}: HTTP ${res.statusCode}`);
  const $ = load(html);
  if (profile.isListing(url)) {
    // The next listing first, so the queue never runs dry while the listing chain advances.
    enqueue($(profile.next).attr('href'), url);
    $(profile.itemLinks).each((_, el) => enqueue($(el).attr('href'), url));
  } else {
    records.push(profile.extract($, url));
  }
}

// Workers wait for the queue to refill while another worker is still on a page.
await new Promise<void>((resolve, reject) => {
  const pump = () => {
    while (active < concurrency && queue.length > 0) {
      const url = queue.shift()!;
      active++;
      visit(url).then(() => {
        active--;
        if (queue.length === 0 && active === 0) resolve();
        else pump();
      }, reject);
    }
  };
  pump();
});
writeFileSync(out, `${records.map((r) => JSON.stringify(r)).join('\n')}\n`);
await dispatcher.close();
