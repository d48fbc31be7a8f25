// One Chromium per process, shared by every stack that renders pages: launched
// on the first page, reused by the next (each stack has its own context), and
// closed when the last stack lets go, so a CLI run exits when it is done. On
// Lambda the browser outlives its invocations (`keepBrowserWarm`): a frozen
// container keeps it, and the next batch pays no launch.
//
// playwright-core is imported here, on the first page, and nowhere else: a
// collector without `browser` never loads it, and the HTTP function's bundle
// leaves it out (deploy/build/bundle.ts).
import type { Browser } from 'playwright-core';
import { findChromium, INSTALL_HINT } from './executable.ts';

type Env = Readonly<Record<string, string | undefined>>;

/** Flags for a headless crawl in a container: /dev/shm is often 64 MB there. */
const LAUNCH_ARGS = ['--disable-dev-shm-usage', '--disable-background-networking', '--mute-audio', '--no-first-run'];

let launching: Promise<Browser> | undefined;
let users = 0;
let warm = false;

/** Launch failures, with how to fix them. */
export class BrowserLaunchError extends Error {
  override readonly name = 'BrowserLaunchError';
}

/** The process's browser, launched if needed. Every call must be matched by one `releaseBrowser()`. */
export async function acquireBrowser(env: Env = process.env): Promise<Browser> {
  users += 1;
  try {
    launching ??= launch(env);
    const browser = await launching;
    if (browser.isConnected()) return browser;
    // It crashed or was closed under us: start another one.
    launching = launch(env);
    return await launching;
  } catch (err) {
    users -= 1;
    launching = undefined;
    throw err;
  }
}

/** One user fewer; the browser closes with the last one, unless kept warm. */
export async function releaseBrowser(): Promise<void> {
  users = Math.max(0, users - 1);
  if (users > 0 || warm || !launching) return;
  const closing = launching;
  launching = undefined;
  try {
    await (await closing).close();
  } catch {
    // A browser that failed to launch or already died has nothing to close.
  }
}

/** Keep the browser when no stack uses it (Lambda: the next invocation reuses it). */
export function keepBrowserWarm(): void {
  warm = true;
}

/** Closes the browser whatever uses it (tests, and a process that is about to exit). */
export async function closeSharedBrowser(): Promise<void> {
  const closing = launching;
  launching = undefined;
  users = 0;
  if (closing) await (await closing.catch(() => undefined))?.close();
}

async function launch(env: Env): Promise<Browser> {
  let chromium: typeof import('playwright-core').chromium;
  try {
    ({ chromium } = await import('playwright-core'));
  } catch (err) {
    throw new BrowserLaunchError(
      `playwright-core is not installed here (${err instanceof Error ? err.message : String(err)}); on AWS, collectors with a browser block run on the browser function (npx collect generate routes them there)`,
    );
  }
  let executable: Awaited<ReturnType<typeof findChromium>>;
  try {
    executable = await findChromium(env);
  } catch (err) {
    throw new BrowserLaunchError(err instanceof Error ? err.message : String(err));
  }
  try {
    return await chromium.launch({
      executablePath: executable.path,
      headless: true,
      args: [...executable.args, ...LAUNCH_ARGS],
      // The CLI handles its own signals (an interrupted run writes its checkpoint); Playwright still
      // kills the browser when the process exits.
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
      timeout: 60_000,
    });
  } catch (err) {
    const detail = err instanceof Error ? err.message.split('\n')[0] : String(err);
    throw new BrowserLaunchError(`Chromium at ${executable.path} (${executable.source}) did not start: ${detail}; ${INSTALL_HINT}`);
  }
}
