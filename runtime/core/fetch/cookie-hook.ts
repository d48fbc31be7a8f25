// How a fetcher uses a request's cookie jar (FetchRequest.cookies) on each hop:
// the Cookie header it sends, and the Set-Cookie values it hands back.

/**
 * The hop's headers with the jar's cookies after any the author wrote: both are sent. Redirects to
 * another origin have already dropped the author's Cookie header (redirect.ts); the jar's cookies
 * are chosen for each hop's URL by the jar itself.
 */
export function withJarCookies(headers: Record<string, string>, jar: string | undefined): Record<string, string> {
  if (!jar) return headers;
  const own = headers.cookie;
  return { ...headers, cookie: own ? `${own}; ${jar}` : jar };
}

/** A response's Set-Cookie values, one cookie each (undici gives an array when there are several). */
export function setCookieValues(raw: string | string[] | undefined): string[] {
  if (raw === undefined) return [];
  return Array.isArray(raw) ? raw : [raw];
}
