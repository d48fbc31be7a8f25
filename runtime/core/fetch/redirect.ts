// What the next request of a redirect looks like: where it goes, which method
// and body it keeps, and which headers must not follow it to another origin.
import { InvalidRequestError } from './errors.ts';

const redirectStatuses = new Set([301, 302, 303, 307, 308]);

export function isRedirect(status: number): boolean {
  return redirectStatuses.has(status);
}

export interface Hop {
  url: URL;
  method: string;
  /** Lower-cased names. */
  headers: Record<string, string>;
  body: string | undefined;
}

// Credentials meant for one origin must not leak to the next one.
const originBound = ['authorization', 'cookie', 'proxy-authorization'];
const bodyHeaders = ['content-type', 'content-length', 'content-encoding', 'content-language', 'content-location'];

/** The hop that follows `from` after a redirect `status` to `location`. */
export function nextHop(from: Hop, status: number, location: string): Hop {
  let url: URL;
  try {
    url = new URL(location, from.url);
  } catch (err) {
    throw new InvalidRequestError(from.url.href, `redirect to an invalid Location ${JSON.stringify(location)}`, err);
  }
  url.hash = '';
  // 303 always, and 301/302 after a POST, turn into a GET without body (what browsers do).
  const toGet =
    (status === 303 && from.method !== 'GET' && from.method !== 'HEAD') || ((status === 301 || status === 302) && from.method === 'POST');
  const crossOrigin = url.origin !== from.url.origin;
  if (!toGet && !crossOrigin) return { url, method: from.method, headers: from.headers, body: from.body };
  const headers = { ...from.headers };
  if (toGet) for (const name of bodyHeaders) delete headers[name];
  if (crossOrigin) for (const name of originBound) delete headers[name];
  return toGet ? { url, method: 'GET', headers, body: undefined } : { url, method: from.method, headers, body: from.body };
}
