// A crawler's time counts only when its output is right: one record per detail
// page, each with the values the real page holds. The expected values come from
// the pages themselves, read here independently of any crawler's code.
import { load } from 'cheerio/slim';
import { loadBookPages } from '../demo/sites/books-pages.ts';
import { articleFor } from './sites/articles-site.ts';
import type { SiteKind } from './sites/paths.ts';

export interface CheckResult {
  ok: boolean;
  /** The first few problems, for the report. */
  problems: string[];
  /** How many problems in all. */
  problemCount: number;
}

type Expected = Record<string, string | number>;

/** How two values compare: exactly, or as text with all whitespace removed (crawlers join text nodes differently). */
type Compare = 'exact' | 'text';

const RATINGS: Record<string, number> = { Zero: 0, One: 1, Two: 2, Three: 3, Four: 4, Five: 5 };

const FIELDS: Record<SiteKind, Record<string, Compare>> = {
  books: { title: 'text', price: 'exact', availability: 'text', rating: 'exact', upc: 'exact' },
  articles: { title: 'text', headline: 'text' },
};

const bookTruthCache = new Map<number, Expected>();

/** What detail page n of the books site holds (page n is real page (n-1) mod 200). */
export function bookTruth(n: number): Expected {
  const pages = loadBookPages();
  const i = (n - 1) % pages.length;
  let t = bookTruthCache.get(i);
  if (!t) {
    const page = pages[i]!;
    const availability = /<p class="instock availability">([\s\S]*?)<\/p>/.exec(page.html)?.[1] ?? '';
    t = {
      title: page.title,
      price: Number(/([0-9]+\.[0-9]+)/.exec(page.price)?.[1]),
      availability: availability.replace(/<[^>]*>/g, ''),
      rating: RATINGS[page.rating] ?? -1,
      upc: /<th>UPC<\/th>\s*<td>([^<]*)<\/td>/.exec(page.html)?.[1] ?? '',
    };
    bookTruthCache.set(i, t);
  }
  return t;
}

const articleTruthCache = new Map<string, Expected>();

function articleTruth(n: number): Expected {
  const article = articleFor(n);
  let t = articleTruthCache.get(article.id);
  if (!t) {
    const $ = load(article.html.toString('utf8'));
    t = { title: $('title').first().text(), headline: $('h1').first().text() };
    articleTruthCache.set(article.id, t);
  }
  return t;
}

/** The page number in a detail URL: /catalogue/<slug>_<n>/index.html or /articles/<id>_<n>.html. */
export function detailNumber(url: string): number | undefined {
  const m = /_(\d+)(?:\/index\.html|\.html)$/.exec(url);
  return m ? Number(m[1]) : undefined;
}

/** Text without any whitespace; an empty text and a missing value (null) compare equal. */
const compact = (v: unknown): string => (v === null || v === undefined ? '' : String(v).replace(/\s+/g, ''));

export function checkRecords(
  site: SiteKind,
  records: readonly unknown[],
  count: number,
  truth: (n: number) => Expected = site === 'books' ? bookTruth : articleTruth,
): CheckResult {
  const problems: string[] = [];
  const fields = FIELDS[site];
  if (records.length !== count) problems.push(`expected ${count} records, got ${records.length}`);
  const seen = new Set<number>();
  for (const [i, rec] of records.entries()) {
    if (typeof rec !== 'object' || rec === null) {
      problems.push(`record ${i} is not an object`);
      continue;
    }
    const r = rec as Record<string, unknown>;
    const n = typeof r.url === 'string' ? detailNumber(r.url) : undefined;
    if (n === undefined || n < 1 || n > count) {
      problems.push(`record ${i}: url ${JSON.stringify(r.url)} is not a detail page of this site`);
      continue;
    }
    if (seen.has(n)) problems.push(`record ${i}: page ${n} appears twice`);
    seen.add(n);
    const want = truth(n);
    for (const [field, how] of Object.entries(fields)) {
      const got = r[field];
      const same =
        how === 'exact' ? got === want[field] : (typeof got === 'string' || got === null) && compact(got) === compact(want[field]);
      if (!same) problems.push(`page ${n}: ${field} is ${JSON.stringify(got)}, expected ${JSON.stringify(want[field])}`);
    }
  }
  if (seen.size < count && records.length === count) problems.push(`only ${seen.size} distinct pages of ${count}`);
  return { ok: problems.length === 0, problems: problems.slice(0, 5), problemCount: problems.length };
}
