// What each JavaScript peer extracts on each bench site: the same fields our
// collectors in bench/collectors/ declare, written by hand with cheerio.
import type { CheerioAPI } from 'cheerio';

export type PeerRecord = Record<string, string | number | null>;

export interface SiteProfile {
  /** The links to detail pages on a listing page. */
  itemLinks: string;
  /** The link to the next listing page. */
  next: string;
  isListing(url: string): boolean;
  extract($: CheerioAPI, url: string): PeerRecord;
}

const RATINGS: Record<string, number> = { Zero: 0, One: 1, Two: 2, Three: 3, Four: 4, Five: 5 };

const squash = (s: string): string => s.replace(/\s+/g, ' ').trim();

const books: SiteProfile = {
  itemLinks: 'article.product_pod h3 a',
  next: 'li.next a',
  isListing: (url) => /\/page-\d+\.html$/.test(url),
  extract($, url) {
    const main = $('.product_main');
    const price = /([0-9]+\.[0-9]+)/.exec(main.find('p.price_color').first().text())?.[1];
    const rating = /star-rating (\w+)/.exec(main.find('p.star-rating').attr('class') ?? '')?.[1];
    return {
      url,
      title: squash(main.find('h1').first().text()),
      price: price === undefined ? null : Number(price),
      availability: squash(main.find('p.instock.availability').first().text()),
      rating: rating === undefined ? null : (RATINGS[rating] ?? null),
      upc: squash($('table.table-striped td').first().text()),
    };
  },
};

const articles: SiteProfile = {
  itemLinks: 'li.story h3 a',
  next: 'li.next a',
  isListing: (url) => /\/page-\d+\.html$/.test(url),
  extract($, url) {
    return { url, title: squash($('title').first().text()), headline: squash($('h1').first().text()) };
  },
};

export const PROFILES = { books, articles } satisfies Record<string, SiteProfile>;

export type ProfileName = keyof typeof PROFILES;

/** The peers are configured by environment, the same way for every one of them. */
export interface PeerConfig {
  start: string;
  out: string;
  concurrency: number;
  profile: SiteProfile;
}

export function peerConfig(env: NodeJS.ProcessEnv = process.env): PeerConfig {
  const name = env.BENCH_PROFILE ?? 'books';
  if (!(name in PROFILES)) throw new Error(`BENCH_PROFILE ${name}: expected books or articles`);
  if (!env.BENCH_START || !env.BENCH_OUT) throw new Error('BENCH_START and BENCH_OUT must be set');
  return {
    start: env.BENCH_START,
    out: env.BENCH_OUT,
    concurrency: Number(env.BENCH_CONCURRENCY ?? 16),
    profile: PROFILES[name as ProfileName],
  };
}
