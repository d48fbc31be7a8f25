// The session's cookies: one tough-cookie jar per fetch stack (a run locally,
// a collector and run per Lambda invocation). Every response's Set-Cookie goes
// in, a redirect's included (the base fetcher calls the hook on each hop), and
// each request carries the cookies that match its URL. A cookie's value is a
// credential: it is registered with the secret resolver as it arrives, so it
// never reaches a log, a record or a recording.
import { Cookie, CookieJar } from 'tough-cookie';
import type { CookieHook } from '../fetch/types.ts';
import type { SecretResolver } from '../secrets.ts';

/**
 * Values shorter than this are not treated as secrets: `lang=en` or `consent=1` are no credential,
 * and redacting them would mangle records. Session ids and tokens are far longer.
 */
const MIN_SECRET_COOKIE = 8;

export class SessionCookies {
  #jar = newJar();

  /**
   * `keep`: `session.cookies`. When false nothing is kept or sent, but a login step still sees the
   * cookies its response sets (`take: { cookie: NAME }`).
   */
  constructor(
    private readonly secrets: SecretResolver,
    readonly keep: boolean,
  ) {}

  /** What a request carries: the jar's cookies out, Set-Cookie in. */
  readonly hook: CookieHook = {
    header: (url) => this.header(url),
    store: (url, setCookies) => this.store(url, setCookies),
  };

  /** A hook for one login step: as `hook`, and the cookies the step's responses set, by name. */
  capture(): { hook: CookieHook; set: Map<string, string> } {
    const set = new Map<string, string>();
    return {
      set,
      hook: { header: (url) => this.header(url), store: (url, setCookies) => this.store(url, setCookies, set) },
    };
  }

  /** Forgets every cookie: a new login starts from an empty jar, as a fresh browser would. */
  clear(): void {
    this.#jar = newJar();
  }

  private header(url: string): string | undefined {
    if (!this.keep) return undefined;
    return this.#jar.getCookieStringSync(url) || undefined;
  }

  private store(url: string, setCookies: readonly string[], seen?: Map<string, string>): void {
    for (const header of setCookies) {
      const cookie = Cookie.parse(header, { loose: true });
      if (!cookie) continue;
      if (cookie.value.length >= MIN_SECRET_COOKIE) this.secrets.register(cookie.value);
      seen?.set(cookie.key, cookie.value);
      // A cookie the jar refuses (another site's domain, a bad prefix) is dropped, as a browser drops it.
      if (this.keep) this.#jar.setCookieSync(cookie, url, { ignoreError: true });
    }
  }
}

function newJar(): CookieJar {
  // Special-use names (localhost) are where test sites and intranet hosts live; public suffixes stay refused.
  return new CookieJar(undefined, { allowSpecialUseDomain: true, looseMode: true });
}
