// Which Chromium to launch. Nothing is downloaded at install time: the browser
// is the system's (Debian's `chromium`), one named by COLLECT_CHROMIUM_PATH, or
// on Lambda the one @sparticuz/chromium unpacks into /tmp from the function's
// layer. Looked for in that order:
//   1. COLLECT_CHROMIUM_PATH
//   2. on Lambda (AWS_LAMBDA_FUNCTION_NAME set): @sparticuz/chromium, from COLLECT_CHROMIUM_PACK
//      (the folder of its .br files; default /opt/chromium, the browser layer)
//   3. chromium, chromium-browser, google-chrome, google-chrome-stable on the PATH (and /usr/bin)
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

type Env = Readonly<Record<string, string | undefined>>;

export interface ChromiumExecutable {
  path: string;
  /** Where it came from, for messages. */
  source: string;
  /** Launch flags the executable needs (the Lambda build's). */
  args: readonly string[];
}

/** The same words wherever a browser is missing: how to get one. */
export const INSTALL_HINT =
  'install Chromium (Debian/Ubuntu: apt-get install chromium) or set COLLECT_CHROMIUM_PATH to a Chromium or Chrome executable';

const NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];

/** Default folder of @sparticuz/chromium's packed browser on Lambda: the browser layer's. */
const LAMBDA_PACK = '/opt/chromium';

class ChromiumNotFoundError extends Error {
  override readonly name = 'ChromiumNotFoundError';
}

/** `systemDirs`: looked in after the PATH (tests leave them out). */
export async function findChromium(env: Env = process.env, systemDirs: readonly string[] = ['/usr/bin']): Promise<ChromiumExecutable> {
  const explicit = env.COLLECT_CHROMIUM_PATH?.trim();
  if (explicit) {
    if (!isExecutable(explicit)) {
      throw new ChromiumNotFoundError(`COLLECT_CHROMIUM_PATH is ${explicit}, which is not an executable file: ${INSTALL_HINT}`);
    }
    return { path: explicit, source: 'COLLECT_CHROMIUM_PATH', args: [] };
  }
  if (env.AWS_LAMBDA_FUNCTION_NAME) return lambdaChromium(env.COLLECT_CHROMIUM_PACK?.trim() || LAMBDA_PACK);
  const found = onPath(env.PATH ?? '', systemDirs);
  if (found) return { path: found, source: 'PATH', args: [] };
  const where = ['the PATH', ...systemDirs].join(', ');
  throw new ChromiumNotFoundError(`no Chromium found (looked for ${NAMES.join(', ')} in ${where}): ${INSTALL_HINT}`);
}

function onPath(path: string, systemDirs: readonly string[]): string | undefined {
  const dirs = [...path.split(delimiter).filter(Boolean), ...systemDirs];
  for (const name of NAMES) {
    for (const dir of dirs) {
      const candidate = join(dir, name);
      if (isExecutable(candidate)) return candidate;
    }
  }
  return undefined;
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

async function lambdaChromium(pack: string): Promise<ChromiumExecutable> {
  // Only the browser function's bundle carries this package; the HTTP function never gets here.
  const { default: chromium } = await import('@sparticuz/chromium');
  try {
    return { path: await chromium.executablePath(join(pack, 'bin')), source: `@sparticuz/chromium (${pack})`, args: chromium.args };
  } catch (err) {
    throw new ChromiumNotFoundError(
      `@sparticuz/chromium could not unpack Chromium from ${pack}/bin (${err instanceof Error ? err.message : String(err)}): deploy the browser layer, or set COLLECT_CHROMIUM_PATH`,
    );
  }
}
