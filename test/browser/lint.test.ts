// `collect validate` on a browser block: exact messages and positions (the
// documents are the 10-line base of test/spec/helpers.ts plus the lines shown).
import { describe, expect, it } from 'vitest';
import { resolveCollector } from '../../runtime/language/resolve.ts';
import { check, doc } from '../spec/helpers.ts';

describe('browser', () => {
  it('is valid with no options, and resolves every default', () => {
    expect(check(doc('browser: {}'))).toEqual([]);
    const resolved = resolveCollector({
      name: 't',
      start: { urls: ['https://example.com/'] },
      browser: { scroll: {} },
      extract: { fields: { a: 'h1' } },
      output: 's3://b/p',
    });
    expect(resolved.browser).toEqual({
      wait: { until: 'load', seconds: 0, timeoutSeconds: 30 },
      scroll: { maxScrolls: 20, settleSeconds: 2 },
      block: ['image', 'font', 'media'],
      viewport: { width: 1280, height: 800 },
    });
    expect(
      resolveCollector({ name: 't', start: { urls: ['https://e.com/'] }, extract: { fields: { a: 'h1' } }, output: 's3://b/p' }).browser,
    ).toBe(undefined);
  });

  it('refuses a method other than GET, a body and a parse other than HTML', () => {
    expect(check(doc('browser: {}', 'request:', '  method: POST', '  body: {json: {q: 1}}', 'parse: json'))).toEqual([
      'collectors/t.yaml:13:11 error request.method: a browser loads pages with GET, not POST (remove request.method, or the browser block for an API that needs it)',
      'collectors/t.yaml:14:3 error request.body: a browser loads pages without a request body (remove request.body, or the browser block)',
      'collectors/t.yaml:15:8 error parse: a page rendered in a browser is read as HTML (its DOM), not json (remove it (auto reads the rendered page as HTML), or the browser block)',
    ]);
  });

  it('refuses request.proxy, which the browser does not go through yet', () => {
    expect(check(doc('browser: {}', 'request:', '  proxy: "${env:PROXY_URL}"'))).toEqual([
      'collectors/t.yaml:13:3 error request.proxy: a browser does not go through request.proxy yet: its pages would reach the site directly (remove request.proxy, or the browser block)',
    ]);
  });

  it('refuses a wait past its ceiling and an unknown resource kind', () => {
    const lines = check(doc('browser:', '  wait: {timeoutSeconds: 600}', '  block: [image, script]'));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^collectors\/t\.yaml:12:.* browser\.wait\.timeoutSeconds: .*120/);
    expect(lines[1]).toMatch(/^collectors\/t\.yaml:13:.* browser\.block\[1\]: .*image, font, media, stylesheet/);
  });

  it('warns that a wait selector applies to the detail pages too', () => {
    const follow = ['follow:', '  field: title', '  extract: {fields: {upc: td}}'];
    expect(check(doc('browser:', '  wait: {selector: li.product}', ...follow))).toEqual([
      'collectors/t.yaml:12:20 warning browser.wait.selector: every rendered page waits for "li.product", the detail pages of follow too (list a selector of each kind of page, e.g. "li.product, h1.title", or wait for networkidle instead)',
    ]);
    expect(check(doc('browser:', '  wait: {selector: "li.product, h1"}', ...follow))).toEqual([]);
  });
});
