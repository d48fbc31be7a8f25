// The pages of each bench site, in the order a breadth-first crawl meets them.
import { bookSlug } from '../../demo/sites/books-site.ts';
import { loadBookPages } from '../../demo/sites/books-pages.ts';
import { articlePath, articlesListingPath } from './articles-site.ts';

export type SiteKind = 'books' | 'articles';

/** Every path a full crawl fetches: the listing pages, then the detail pages. */
export function sitePaths(site: SiteKind, count: number, perPage: number): string[] {
  const listings = Math.ceil(count / perPage);
  const paths: string[] = [];
  if (site === 'books') {
    const pages = loadBookPages();
    for (let k = 1; k <= listings; k++) paths.push(`/catalogue/page-${k}.html`);
    for (let n = 1; n <= count; n++) paths.push(`/catalogue/${bookSlug(n, pages[(n - 1) % pages.length]!.title)}/index.html`);
  } else {
    for (let k = 1; k <= listings; k++) paths.push(articlesListingPath(k));
    for (let n = 1; n <= count; n++) paths.push(articlePath(n));
  }
  return paths;
}
