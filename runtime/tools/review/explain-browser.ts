// What `collect explain` says about where a collector's pages are loaded: over
// HTTP on the small function, or rendered in Chromium on the browser function,
// and how a rendered page is waited for, scrolled and clicked.
import type { ResolvedCollector } from '../../language/generated/resolved.types.ts';
import { BROWSER_FUNCTION, browserFunctionName, usesBrowser } from '../../language/browser-function.ts';
import type { FunctionSettings } from './project-settings.ts';

export function describePageLoading(c: ResolvedCollector, s: FunctionSettings): string[] {
  if (!usesBrowser(c)) {
    return [`every page over HTTP (undici), on the function ${s.functionName} (${s.memoryMb} MB); no browser is started`];
  }
  if (!c.browser) {
    const kinds = Object.entries(c.pages ?? {}).filter(([, kind]) => kind.browser !== undefined);
    return [
      `the pages of ${kinds.map(([name]) => name).join(', ')} rendered in headless Chromium (pages.KIND.browser), the other pages over HTTP, ` +
        `all on the browser function ${browserFunctionName(s.functionName)} (${BROWSER_FUNCTION.memoryMb} MB, ${BROWSER_FUNCTION.architecture}): its task queue feeds that function`,
    ];
  }
  const b = c.browser;
  const wait = [
    `the ${b.wait.until} event`,
    ...(b.wait.selector !== undefined ? [`selector ${JSON.stringify(b.wait.selector)}`] : []),
    ...(b.wait.seconds > 0 ? [`${b.wait.seconds} s more`] : []),
  ];
  const lines = [
    `every page (listing, next and detail pages) rendered in headless Chromium, on the browser function ${browserFunctionName(s.functionName)} ` +
      `(${BROWSER_FUNCTION.memoryMb} MB, ${BROWSER_FUNCTION.architecture}): its task queue feeds that function; robots.txt, logins and tokens stay plain HTTP requests`,
    `a page is read after ${wait.join(', then ')}, within ${b.wait.timeoutSeconds} s (browser.wait.timeoutSeconds); one that never gets there fails on its own, naming the condition`,
  ];
  if (b.scroll)
    lines.push(
      `then scrolled to the bottom while new items appear, at most ${b.scroll.maxScrolls} times (${b.scroll.settleSeconds} s each to appear)`,
    );
  if (b.click) lines.push(`then ${JSON.stringify(b.click.selector)} clicked while new items appear, at most ${b.click.maxClicks} times`);
  lines.push(
    `not loaded: ${b.block.length ? b.block.join(', ') : 'nothing (every resource kind loads)'}; window ${b.viewport.width} x ${b.viewport.height}; every request of the page passes the network guard`,
  );
  return lines;
}
