// What the layers above hand a rendered page: a Cookie header, the session's
// cookie jar (FetchRequest.cookies), an Authorization header. The members page
// shows its items only to a request with the session cookie, on the document
// and on the script's own request, and the server's log shows what arrived.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BrowserFetcher } from '../../runtime/core/browser/browser-layer.ts';
import { closeSharedBrowser, keepBrowserWarm } from '../../runtime/core/browser/browser-process.ts';
import { compileCollector, type CompiledCollector } from '../../runtime/core/engine/compile.ts';
import { HttpFetcher } from '../../runtime/core/fetch/http-fetcher.ts';
import type { CookieHook, FetchRequest } from '../../runtime/core/fetch/types.ts';
import { SecretResolver } from '../../runtime/core/secrets.ts';
import { resolveCollector } from '../../runtime/language/resolve.ts';
import { startRenderedSite, type RenderedSite } from './site.ts';

let site: RenderedSite;
let compiled: CompiledCollector;
beforeAll(async () => {
  site = await startRenderedSite();
  keepBrowserWarm();
  compiled = compileCollector(
    resolveCollector({
      name: 'members',
      start: { urls: [`${site.url}/members`] },
      // networkidle: the script's own request has been answered before the page is read.
      browser: { wait: { until: 'networkidle', selector: 'p.who' } },
      extract: { items: 'li.item', fields: { name: 'a' } },
      output: 's3://test-bucket/members',
    }),
    { allowPrivateNetwork: true },
  );
});
afterAll(async () => {
  await closeSharedBrowser();
  await site.close();
});

async function render(request: Partial<FetchRequest>): Promise<string> {
  const base = new HttpFetcher();
  const fetcher = new BrowserFetcher(base, { compiled, secrets: new SecretResolver({}) });
  try {
    const page = await fetcher.fetch({ url: `${site.url}/members`, method: 'GET', headers: {}, ...request }, compiled.policy);
    return page.text;
  } finally {
    await fetcher.close();
    await base.close();
  }
}

describe('a session shared with the browser', () => {
  it('sends the Cookie header of the layers above with the page and its own requests, and their other headers on its origin', async () => {
    site.seen.length = 0;
    const text = await render({ headers: { Cookie: 'session=s3cret', Authorization: 'Bearer t0ken', 'Accept-Language': 'fr' } });
    expect(text).toContain('<p class="who">member</p>');
    expect(text).toContain('Item 100'); // the items of the script's request, which carried the cookie too
    const doc = site.hits('/members')[0]!;
    expect(doc.headers.cookie).toContain('session=s3cret');
    expect(doc.headers.authorization).toBe('Bearer t0ken');
    expect(doc.headers['accept-language']).toBe('fr');
    expect(doc.headers['user-agent']).toBe(compiled.policy.userAgent);
    const api = site.hits('/api/members');
    expect(api.length).toBeGreaterThanOrEqual(1);
    expect(api[0]!.headers.cookie).toContain('session=s3cret');
    expect(api[0]!.headers.authorization).toBe('Bearer t0ken');
  });

  it('takes the cookies of the session jar and gives back what the page set', async () => {
    site.seen.length = 0;
    const stored: { url: string; values: readonly string[] }[] = [];
    const jar: CookieHook = {
      header: (url) => (url.startsWith(site.url) ? 'session=s3cret' : undefined),
      store: (url, values) => stored.push({ url, values }),
    };
    const text = await render({ cookies: jar });
    expect(text).toContain('<p class="who">member</p>');
    expect(site.hits('/members')[0]!.headers.cookie).toContain('session=s3cret');
    expect(stored).toEqual([{ url: `${site.url}/members`, values: ['visited=yes; Path=/'] }]);
  });

  it('is a guest without them', async () => {
    site.seen.length = 0;
    const text = await render({});
    expect(text).toContain('<p class="who">guest</p>');
    expect(site.hits('/members')[0]!.headers.cookie).toBeUndefined();
  });
});
