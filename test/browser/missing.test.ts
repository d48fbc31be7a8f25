// A missing browser says how to get one: from where Chromium is looked for
// (COLLECT_CHROMIUM_PATH, then the PATH), and as the failure of a page that
// needed it, which fails alone and is not retried.
import { describe, expect, it } from 'vitest';
import { BrowserFetcher } from '../../runtime/core/browser/browser-layer.ts';
import { BrowserUnavailableError } from '../../runtime/core/browser/errors.ts';
import { findChromium } from '../../runtime/core/browser/executable.ts';
import { compileCollector } from '../../runtime/core/engine/compile.ts';
import { HttpFetcher } from '../../runtime/core/fetch/http-fetcher.ts';
import { SecretResolver } from '../../runtime/core/secrets.ts';
import { resolveCollector } from '../../runtime/language/resolve.ts';

const INSTALL =
  'install Chromium (Debian/Ubuntu: apt-get install chromium) or set COLLECT_CHROMIUM_PATH to a Chromium or Chrome executable';

describe('a missing browser', () => {
  it('is found on the PATH, or named by COLLECT_CHROMIUM_PATH, or said how to install', async () => {
    await expect(findChromium({ PATH: '/usr/bin' }, [])).resolves.toMatchObject({ path: '/usr/bin/chromium', source: 'PATH' });
    await expect(findChromium({ COLLECT_CHROMIUM_PATH: '/usr/bin/chromium' }, [])).resolves.toMatchObject({
      source: 'COLLECT_CHROMIUM_PATH',
    });
    await expect(findChromium({ PATH: '/nonexistent' }, [])).rejects.toThrow(
      `no Chromium found (looked for chromium, chromium-browser, google-chrome, google-chrome-stable in the PATH): ${INSTALL}`,
    );
    await expect(findChromium({ COLLECT_CHROMIUM_PATH: '/nonexistent/chrome' }, [])).rejects.toThrow(
      `COLLECT_CHROMIUM_PATH is /nonexistent/chrome, which is not an executable file: ${INSTALL}`,
    );
  });

  it('fails the page with how to install it, and the fetch is not retried', async () => {
    const compiled = compileCollector(
      resolveCollector({
        name: 'needs-browser',
        start: { urls: ['http://127.0.0.1:9/list'] },
        browser: {},
        extract: { fields: { a: 'h1' } },
        output: 's3://b/p',
      }),
      { allowPrivateNetwork: true },
    );
    const base = new HttpFetcher();
    const fetcher = new BrowserFetcher(
      base,
      { compiled, secrets: new SecretResolver({}) },
      { env: { COLLECT_CHROMIUM_PATH: '/nonexistent/chrome' } },
    );
    try {
      const err = await fetcher
        .fetch({ url: 'http://127.0.0.1:9/list', method: 'GET', headers: {} }, compiled.policy)
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(BrowserUnavailableError);
      expect((err as BrowserUnavailableError).retryable).toBe(false);
      expect((err as Error).message).toBe(
        `cannot render http://127.0.0.1:9/list in a browser: COLLECT_CHROMIUM_PATH is /nonexistent/chrome, which is not an executable file: ${INSTALL}`,
      );
    } finally {
      await fetcher.close();
      await base.close();
    }
  });
});
