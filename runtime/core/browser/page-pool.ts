// Browser tabs of one context, reused: opening a tab costs more than loading a
// small page (about 120 ms against 50 ms on a 2-core machine), so a tab that
// loaded a page cleanly goes back to the pool, on about:blank (its scripts,
// timers and DOM dropped), for the next page. A tab is closed instead after
// an error (it may be stuck) and after `maxUses` pages (whatever a site leaks
// into it goes with it), so memory stays level over a long run. The pool holds
// at most as many tabs as were ever in use at once (the rate limit's
// concurrency), and all of them close with the context.
import type { BrowserContext, Page } from 'playwright-core';

/**
 * Pages one tab loads before it is replaced by a fresh one. A renderer that keeps serving one
 * site grows with every page (about 80 to 100 MB after 50 pages of the bench's site); at 10 the
 * browser's memory stays level over a 500-page run, and a new tab every 10 pages costs little.
 */
const MAX_USES = 10;

export class PagePool {
  readonly #context: BrowserContext;
  readonly #idle: Page[] = [];
  readonly #uses = new WeakMap<Page, number>();
  readonly #maxUses: number;

  constructor(context: BrowserContext, maxUses = MAX_USES) {
    this.#context = context;
    this.#maxUses = maxUses;
  }

  /** A tab for one page load: an idle one, or a new one. */
  async take(): Promise<Page> {
    for (let page = this.#idle.pop(); page; page = this.#idle.pop()) {
      if (!page.isClosed()) return page;
    }
    return this.#context.newPage();
  }

  /** Gives a tab back: `clean` when its page loaded without error, so it may serve another. */
  async give(page: Page, clean: boolean): Promise<void> {
    const uses = (this.#uses.get(page) ?? 0) + 1;
    this.#uses.set(page, uses);
    if (!clean || uses >= this.#maxUses || page.isClosed()) {
      await page.close().catch(() => {});
      return;
    }
    try {
      await page.goto('about:blank', { timeout: 5_000 });
      this.#idle.push(page);
    } catch {
      await page.close().catch(() => {});
    }
  }

  /** Tabs open and waiting (for tests and the bench). */
  get idle(): number {
    return this.#idle.length;
  }
}
