// How a rendered page can fail, as FetchError kinds: the engine treats them as
// it treats an HTTP page's failures (retried when `retryable`, else the page
// fails on its own with the message in its error report).
import { FetchError } from '../fetch/errors.ts';

/** No Chromium to launch, or it would not start. Not retried: nothing changes by trying again. */
export class BrowserUnavailableError extends FetchError {
  override readonly name = 'BrowserUnavailableError';
  readonly retryable = false;

  constructor(url: string, detail: string, options?: { cause?: unknown }) {
    super(`cannot render ${url} in a browser: ${detail}`, url, options);
  }
}

/**
 * The page loaded but never reached its wait condition (`browser.wait`) within its
 * ceiling: the condition is named, so the fix (another selector, a longer timeout)
 * is clear. Not retried: a page whose selector is wrong stays wrong.
 */
export class BrowserWaitError extends FetchError {
  override readonly name = 'BrowserWaitError';
  readonly retryable = false;
  /** The condition, e.g. `selector "li.product"`. */
  readonly condition: string;

  constructor(url: string, condition: string, timeoutMs: number, hint = 'raise browser.wait.timeoutSeconds, or wait for less') {
    super(`${url} never reached its wait condition: ${condition} within ${timeoutMs / 1000} s (browser.wait.timeoutSeconds); ${hint}`, url);
    this.condition = condition;
  }
}

/** The browser could not load the page (a Chromium net:: error other than a refusal by the guard). */
export class BrowserNavigationError extends FetchError {
  override readonly name = 'BrowserNavigationError';
  readonly retryable: boolean;

  constructor(url: string, detail: string, retryable: boolean, options?: { cause?: unknown }) {
    super(`the browser could not load ${url}: ${detail}`, url, options);
    this.retryable = retryable;
  }
}
