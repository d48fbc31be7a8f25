// The URL a page is known by within a run: the task id of a discovered or
// sitemap page and the fetch-once cache key are made from it, so the same page
// reached from two places is one task and one request. Only the `#fragment` is
// dropped (it never reaches the server); the query's order, a trailing slash
// and the letter case of the path are left alone, since a site may tell them
// apart. The WHATWG parser already lower-cases the host, drops a default port
// and percent-encodes what must be.

/** Throws a TypeError on a string that is not an absolute URL. */
export function canonicalUrl(url: string): string {
  const u = new URL(url);
  u.hash = '';
  return u.href;
}
