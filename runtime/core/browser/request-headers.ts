// A FetchRequest's headers as a browser takes them: the Cookie header (the
// session layer's jar) becomes cookies of the context, scoped to the page's
// URL; the rest (Authorization, Accept-Language, ...) goes on the page's own
// requests, same origin only, so a token never travels to a script's CDN.
// What Chromium manages itself (Host, encodings, lengths) is left out.

/** Set by the browser from the context (user agent) or the connection. */
const BROWSER_OWNED = new Set(['host', 'content-length', 'accept-encoding', 'connection', 'cookie', 'user-agent']);

interface BrowserCookie {
  name: string;
  value: string;
  url: string;
}

export interface BrowserHeaders {
  /** Lower-cased names; for the page's same-origin requests. */
  extra: Record<string, string>;
  cookies: BrowserCookie[];
  /** A User-Agent the request sets itself (a layer above), else undefined: the context's is used. */
  userAgent?: string;
}

export function browserHeaders(url: string, headers: Readonly<Record<string, string>>): BrowserHeaders {
  const extra: Record<string, string> = {};
  const cookies: BrowserCookie[] = [];
  let userAgent: string | undefined;
  for (const [rawName, value] of Object.entries(headers)) {
    const name = rawName.toLowerCase();
    if (name === 'cookie') cookies.push(...parseCookieHeader(value, url));
    else if (name === 'user-agent') userAgent = value;
    else if (!BROWSER_OWNED.has(name)) extra[name] = value;
  }
  return { extra, cookies, ...(userAgent !== undefined ? { userAgent } : {}) };
}

/** `a=1; b=two` -> cookies for `url`. Pairs without a name are dropped, as browsers do. */
function parseCookieHeader(header: string, url: string): BrowserCookie[] {
  const out: BrowserCookie[] = [];
  for (const pair of header.split(';')) {
    const eq = pair.indexOf('=');
    if (eq <= 0) continue;
    const name = pair.slice(0, eq).trim();
    if (name) out.push({ name, value: pair.slice(eq + 1).trim(), url });
  }
  return out;
}

/** True when `url` has the origin of `pageUrl` (where the request's own headers may go). */
export function sameOrigin(url: string, pageUrl: string): boolean {
  try {
    return new URL(url).origin === new URL(pageUrl).origin;
  } catch {
    return false;
  }
}
