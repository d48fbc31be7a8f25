// `browser`: what a rendered page can be. A browser navigates with GET and no
// body (and, for now, not through request.proxy), and what it gives back is the
// rendered DOM, which is HTML: a collector that says otherwise would fail on
// every page. And its wait selector applies
// to every page it renders, detail pages too, which is easy to miss.
import type { Collector } from '../generated/collector.types.ts';
import type { Issue } from '../issue.ts';

const HTML_PARSES = new Set(['auto', 'html']);

export function lintBrowser(c: Collector): Issue[] {
  const browser = c.browser;
  if (!browser) return [];
  const issues: Issue[] = [];
  const method = c.request?.method;
  if (method !== undefined && method !== 'GET') {
    issues.push({
      path: ['request', 'method'],
      message: `a browser loads pages with GET, not ${method}`,
      hint: 'remove request.method, or the browser block for an API that needs it',
    });
  }
  if (c.request?.body !== undefined) {
    issues.push({
      path: ['request', 'body'],
      at: 'key',
      message: 'a browser loads pages without a request body',
      hint: 'remove request.body, or the browser block',
    });
  }
  if (c.request?.proxy !== undefined) {
    issues.push({
      path: ['request', 'proxy'],
      at: 'key',
      message: 'a browser does not go through request.proxy yet: its pages would reach the site directly',
      hint: 'remove request.proxy, or the browser block',
    });
  }
  const parses: [readonly (string | number)[], string | undefined][] = [[['parse'], c.parse]];
  for (let f = c.follow, path: (string | number)[] = ['follow']; f; path = [...path, 'follow'], f = f.follow)
    parses.push([[...path, 'parse'], f.parse]);
  for (const [path, parse] of parses) {
    if (parse !== undefined && !HTML_PARSES.has(parse)) {
      issues.push({
        path,
        message: `a page rendered in a browser is read as HTML (its DOM), not ${parse}`,
        hint: 'remove it (auto reads the rendered page as HTML), or the browser block',
      });
    }
  }
  const selector = browser.wait?.selector;
  if (selector !== undefined && selector.trim() === '') {
    issues.push({ path: ['browser', 'wait', 'selector'], message: 'the wait selector is empty', hint: 'a CSS selector, or remove it' });
  } else if (selector !== undefined && c.follow && !selector.includes(',')) {
    issues.push({
      path: ['browser', 'wait', 'selector'],
      severity: 'warning',
      message: `every rendered page waits for ${JSON.stringify(selector)}, the detail pages of follow too`,
      hint: 'list a selector of each kind of page, e.g. "li.product, h1.title", or wait for networkidle instead',
    });
  }
  if (browser.click?.selector !== undefined && browser.click.selector.trim() === '') {
    issues.push({
      path: ['browser', 'click', 'selector'],
      message: 'the click selector is empty',
      hint: 'the CSS selector of the "load more" button',
    });
  }
  return issues;
}
