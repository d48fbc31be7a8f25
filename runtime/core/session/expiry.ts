// `session.expired`: how a page shows its session has run out. Any one
// condition is enough: a status (a 401 thrown by the fetcher, or accepted as
// an empty page), a redirect that ended on the login page, or an element on
// the page (the login form served in place of the page).
import type { ResolvedCollector } from '../../language/generated/resolved.types.ts';
import { parsePage } from '../extract/parse.ts';
import { compileRegex } from '../extract/regex.ts';
import { HttpStatusError } from '../fetch/errors.ts';
import type { FetchResponse } from '../fetch/types.ts';

type Expired = NonNullable<ResolvedCollector['session']['expired']>;

/** What a page fetch came to: a response, or the error it threw. */
export type PageOutcome = { response: FetchResponse } | { error: unknown };

export class ExpiryRule {
  private readonly statuses: readonly number[];
  private readonly redirect: RegExp | undefined;
  private readonly redirectTo: string | undefined;
  private readonly selector: string | undefined;

  constructor(spec: Expired | undefined) {
    this.statuses = spec?.statuses ?? [];
    this.redirect = spec?.redirectTo === undefined ? undefined : compileRegex(spec.redirectTo);
    this.redirectTo = spec?.redirectTo;
    this.selector = spec?.selector;
  }

  /** Why the page shows an expired session (in words, no value of the page), or undefined. */
  reason(requestUrl: string, outcome: PageOutcome): string | undefined {
    if ('error' in outcome) {
      const err = outcome.error;
      return err instanceof HttpStatusError && this.statuses.includes(err.status) ? `HTTP ${err.status}` : undefined;
    }
    const { response } = outcome;
    if (this.statuses.includes(response.status)) return `HTTP ${response.status}`;
    if (this.redirect && response.url !== requestUrl && this.redirect.test(response.url))
      return `redirected to a URL matching ${this.redirectTo}`;
    if (this.selector && !response.acceptedEmpty && this.shows(response)) return `the page shows ${this.selector}`;
    return undefined;
  }

  private shows(response: FetchResponse): boolean {
    const contentType = response.headers['content-type'];
    // Only an HTML page can show a login form; a JSON page or a feed is not parsed for it.
    if (contentType !== undefined && !/html/i.test(contentType)) return false;
    try {
      const page = parsePage(response.text, contentType, response.url, 'html');
      return page.kind === 'html' && page.doc(this.selector!).length > 0;
    } catch {
      // A page that cannot be parsed (nested too deep) fails when it is read, not here.
      return false;
    }
  }
}
