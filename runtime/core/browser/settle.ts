// What happens to a rendered page between its first byte and being read:
// `browser.wait` (load event, selector, fixed time, under one ceiling), then
// `browser.scroll` and `browser.click`, which repeat while new items appear.
// The page is read once, at the end, with everything loaded.
//
// In-page code is written as expression strings: the project compiles without
// the DOM's types, and the expressions are small.
import type { Page } from 'playwright-core';
import type { ResolvedBrowser } from '../../language/generated/resolved.types.ts';
import { BrowserWaitError } from './errors.ts';

/**
 * How many items the page holds now: matches of `items` (the collector's
 * `extract.items`), or, without it or when the browser cannot read it, every
 * element of the document, which grows as well when more is loaded.
 */
function countExpression(items: string | undefined): string {
  const all = 'document.getElementsByTagName("*").length';
  if (items === undefined) return all;
  return `(() => { try { return document.querySelectorAll(${JSON.stringify(items)}).length; } catch { return ${all}; } })()`;
}

/** The wait of `browser.wait`, from `startedAt`: when the main response arrived. */
export async function waitUntilReady(page: Page, wait: ResolvedBrowser['wait'], url: string, startedAt: number): Promise<void> {
  const ceilingMs = Math.round(wait.timeoutSeconds * 1000);
  const left = () => Math.max(1, ceilingMs - (performance.now() - startedAt));
  try {
    await page.waitForLoadState(wait.until, { timeout: left() });
  } catch (err) {
    throw waitError(err, url, `the ${wait.until} event`, ceilingMs);
  }
  if (wait.selector !== undefined) {
    try {
      await page.waitForSelector(wait.selector, { state: 'attached', timeout: left() });
    } catch (err) {
      const hint = 'see what the rendered page holds with collect try --browser, and fix browser.wait.selector';
      throw waitError(err, url, `selector ${JSON.stringify(wait.selector)} (browser.wait.selector)`, ceilingMs, hint);
    }
  }
  if (wait.seconds > 0) {
    const ms = Math.round(wait.seconds * 1000);
    if (ms >= left()) throw new BrowserWaitError(url, `a fixed wait of ${wait.seconds} s (browser.wait.seconds)`, ceilingMs);
    await page.waitForTimeout(ms);
  }
}

function waitError(err: unknown, url: string, condition: string, ceilingMs: number, hint?: string): Error {
  // A closed page (the run was interrupted) is not a wait condition that failed.
  if (err instanceof Error && err.name === 'TimeoutError') return new BrowserWaitError(url, condition, ceilingMs, hint);
  return err instanceof Error ? err : new Error(String(err));
}

/** Infinite scroll: to the bottom, again while items keep coming. Returns the scrolls made. */
export async function scrollForMore(
  page: Page,
  scroll: NonNullable<ResolvedBrowser['scroll']>,
  items: string | undefined,
): Promise<number> {
  const count = countExpression(items);
  const settleMs = Math.round(scroll.settleSeconds * 1000);
  let scrolls = 0;
  while (scrolls < scroll.maxScrolls) {
    const before = (await page.evaluate(count)) as number;
    await page.evaluate('window.scrollTo(0, (document.scrollingElement || document.body).scrollHeight)');
    scrolls += 1;
    if (!(await grew(page, count, before, settleMs))) break;
  }
  return scrolls;
}

/** A "load more" button: clicked while it is there and enabled and items keep coming. Returns the clicks made. */
export async function clickForMore(page: Page, click: NonNullable<ResolvedBrowser['click']>, items: string | undefined): Promise<number> {
  const count = countExpression(items);
  const settleMs = Math.round(click.settleSeconds * 1000);
  const button = page.locator(click.selector).first();
  let clicks = 0;
  while (clicks < click.maxClicks) {
    if (!(await button.isVisible()) || !(await button.isEnabled())) break;
    const before = (await page.evaluate(count)) as number;
    try {
      await button.click({ timeout: settleMs });
    } catch {
      // Covered, detached or gone between the check and the click: nothing more to load.
      break;
    }
    clicks += 1;
    if (!(await grew(page, count, before, settleMs))) break;
  }
  return clicks;
}

/** True when the count rises above `before` within `settleMs`. */
async function grew(page: Page, count: string, before: number, settleMs: number): Promise<boolean> {
  try {
    await page.waitForFunction(`${count} > ${before}`, undefined, { timeout: settleMs, polling: 100 });
    return true;
  } catch (err) {
    if (err instanceof Error && err.name === 'TimeoutError') return false;
    throw err;
  }
}
