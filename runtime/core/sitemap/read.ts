// Reads sitemaps into page URLs: each root, and the sitemaps a sitemap index
// lists, `MAX_INDEX_DEPTH` levels deep, each sitemap once, one at a time (the
// order of the pages is the order of the files, so a replay plans the same
// seeds). Gzipped files are unpacked by the fetcher (core/fetch/gzip-file.ts).
// A sitemap that cannot be fetched or read fails the planning with a message
// naming it: a run that silently skipped half its seeds would look complete.

import { type ParsedSitemap, parseSitemap, type SitemapEntry } from './parse.ts';

/** Sitemap index levels followed below a root (a root index, its indexes, their sitemaps). */
export const MAX_INDEX_DEPTH = 3;
/** Sitemap files one run reads at most, roots and the files of their indexes together. */
const MAX_SITEMAP_FILES = 5_000;

interface PageEntry extends SitemapEntry {
  /** The sitemap that listed it. */
  sitemap: string;
}

export class SitemapError extends Error {
  override readonly name = 'SitemapError';
}

export interface ReadOptions {
  /** The body of a sitemap; throws when it cannot be fetched. */
  fetch(url: string): Promise<string>;
  /** Called with each page; return false to stop reading (a ceiling was reached). */
  onPage(page: PageEntry): boolean;
}

/** Reads `root` and what it leads to; `seen` holds the sitemaps read so far (shared by the roots of a run). */
export async function readSitemap(root: string, seen: Set<string>, options: ReadOptions): Promise<void> {
  const queue: { url: string; depth: number }[] = [{ url: root, depth: 0 }];
  while (queue.length > 0) {
    const { url, depth } = queue.shift()!;
    if (seen.has(url)) continue;
    if (seen.size >= MAX_SITEMAP_FILES)
      throw new SitemapError(`more than ${MAX_SITEMAP_FILES} sitemap files from ${root}; list fewer sitemaps under start.sitemaps`);
    seen.add(url);
    let parsed: ParsedSitemap;
    try {
      parsed = parseSitemap(await options.fetch(url), url);
    } catch (err) {
      throw new SitemapError(`sitemap ${url}${url === root ? '' : ` (listed by ${root})`}: ${(err as Error).message}`, { cause: err });
    }
    if (parsed.kind === 'index') {
      if (depth >= MAX_INDEX_DEPTH) continue;
      for (const child of parsed.entries) {
        const next = absolute(child.loc, url);
        if (next !== undefined) queue.push({ url: next, depth: depth + 1 });
      }
      continue;
    }
    for (const entry of parsed.entries) {
      const loc = absolute(entry.loc, url);
      if (loc === undefined) continue;
      if (!options.onPage({ ...entry, loc, sitemap: url })) return;
    }
  }
}

/** An http(s) URL (relative ones against the sitemap's, though the protocol wants them absolute). */
function absolute(loc: string, base: string): string | undefined {
  try {
    const u = new URL(loc, base);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : undefined;
  } catch {
    return undefined;
  }
}
