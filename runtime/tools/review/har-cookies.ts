// Cookies in a recording: the recorder notes each cookie a response sets (on
// any hop, a login's redirect included) with its value left for the redactor,
// and the replay hands them back to the session's jar, so that a login that
// takes a cookie (`take: { cookie: NAME }`) replays as it ran.
import type { CookieHook } from '../../core/fetch/types.ts';
import type { HarCookie, HarEntry } from './har.ts';

/** The same jar, with every Set-Cookie it receives also noted in `into` (values as received: redact them before writing). */
export function capturingCookies(hook: CookieHook, into: HarCookie[]): CookieHook {
  return {
    header: (url) => hook.header(url),
    store(url, setCookies) {
      for (const header of setCookies) {
        const cookie = parseSetCookie(header, url);
        if (cookie) into.push(cookie);
      }
      hook.store(url, setCookies);
    },
  };
}

/** Hands the cookies an entry recorded to the request's jar, as the live response did. */
export function replayCookies(hook: CookieHook | undefined, entry: HarEntry): void {
  if (!hook) return;
  for (const c of entry.response.cookies ?? []) {
    if (!c._url) continue;
    const attributes = [c.path ? `Path=${c.path}` : '', c.domain ? `Domain=${c.domain}` : ''].filter(Boolean);
    hook.store(c._url, [[`${c.name}=${c.value}`, ...attributes].join('; ')]);
  }
}

function parseSetCookie(header: string, url: string): HarCookie | undefined {
  const [pair, ...attributes] = header.split(';');
  const eq = pair!.indexOf('=');
  if (eq <= 0) return undefined;
  const cookie: HarCookie = { name: pair!.slice(0, eq).trim(), value: pair!.slice(eq + 1).trim(), _url: url };
  for (const attribute of attributes) {
    const [key, ...rest] = attribute.split('=');
    const name = key!.trim().toLowerCase();
    const value = rest.join('=').trim();
    if (name === 'path' && value) cookie.path = value;
    if (name === 'domain' && value) cookie.domain = value;
  }
  return cookie;
}
