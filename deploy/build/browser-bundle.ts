// The browser function's deployment package (`npm run build`), beside the HTTP one:
//   dist/lambda-browser/index.mjs         the same engine and handler (runtime/drivers/lambda/browser-index.ts),
//                                         @sparticuz/chromium bundled in
//   dist/lambda-browser/collectors/*.json the collectors, as for the HTTP function
//   dist/lambda-browser.zip               the two above and node_modules/playwright-core, which does not
//                                         survive bundling (it reads its own files beside its code)
//   dist/chromium-layer.zip               the Lambda layer: chromium/bin/*.br, @sparticuz/chromium's packed
//                                         Chromium (x86_64), unpacked into /tmp on a cold start
// Sizes are checked: the function zip must stay uploadable directly (under 50 MB),
// and the function with its layer under Lambda's 250 MB unpacked.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { build } from 'esbuild';
import { zipSync, type Zippable } from 'fflate';
import type { RunnableCollector } from '../../runtime/language/load.ts';
import { forbiddenInputs, LAMBDA_BUILD } from './bundle.ts';
import { collectorEntries, writeCollectorFiles } from './embed.ts';

const ENTRY = 'runtime/drivers/lambda/browser-index.ts';

/** Lambda takes a zip this large as a direct upload; the browser function's must fit. */
const MAX_BROWSER_ZIP_BYTES = 50 * 1024 * 1024;
/** The function and its layers, unpacked, may not exceed this. */
const MAX_UNPACKED_BYTES = 250 * 1024 * 1024;

/** 1980-01-01, the earliest time a zip entry can carry: the same sources always make the same zips. */
const FIXED_TIME = new Date(1980, 0, 1);

class BrowserBuildError extends Error {
  override readonly name = 'BrowserBuildError';
}

export interface BrowserBuildResult {
  bundle: string;
  zip: string;
  layerZip: string;
  bundleBytes: number;
  zipBytes: number;
  layerZipBytes: number;
  /** The function and its layer, unpacked. */
  unpackedBytes: number;
}

export interface BrowserBuildOptions {
  cwd: string;
  collectors: readonly RunnableCollector[];
  /** Output folder. Default dist. */
  outDir?: string;
  log?: (line: string) => void;
}

export async function buildBrowserLambda(options: BrowserBuildOptions): Promise<BrowserBuildResult> {
  const log = options.log ?? (() => {});
  const outDir = resolve(options.cwd, options.outDir ?? 'dist');
  const bundleDir = join(outDir, 'lambda-browser');
  const outfile = join(bundleDir, 'index.mjs');
  await mkdir(bundleDir, { recursive: true });
  const result = await build({
    ...LAMBDA_BUILD,
    absWorkingDir: options.cwd,
    entryPoints: [ENTRY],
    outfile,
    external: ['playwright-core'],
  });
  const forbidden = forbiddenInputs(result.metafile);
  if (forbidden.length)
    throw new BrowserBuildError(`the browser bundle pulls in ${forbidden.join(', ')}; these must run at build time only`);
  const bundleBytes = Object.values(result.metafile.outputs)[0]!.bytes;

  const entries = collectorEntries(options.collectors);
  await writeCollectorFiles(bundleDir, entries);
  const files: Zippable = { 'index.mjs': [bytes(await readFile(outfile)), { level: 9, mtime: FIXED_TIME }] };
  for (const name of [...entries.keys()].sort())
    files[name] = [bytes(await readFile(join(bundleDir, name))), { level: 9, mtime: FIXED_TIME }];
  const playwright = packageDir('playwright-core', options.cwd);
  let unpackedBytes = bundleBytes;
  for (const file of await filesUnder(playwright)) {
    const data = await readFile(file);
    unpackedBytes += data.byteLength;
    files[`node_modules/playwright-core/${relative(playwright, file)}`] = [bytes(data), { level: 9, mtime: FIXED_TIME }];
  }
  const zip = join(outDir, 'lambda-browser.zip');
  const zipped = zipSync(files);
  await writeFile(zip, zipped);
  if (zipped.byteLength > MAX_BROWSER_ZIP_BYTES) {
    throw new BrowserBuildError(
      `${relative(options.cwd, zip)} is ${mib(zipped.byteLength)}, over the ${mib(MAX_BROWSER_ZIP_BYTES)} Lambda takes directly`,
    );
  }

  const layer = await writeChromiumLayer(outDir, options.cwd);
  unpackedBytes += layer.unpackedBytes;
  if (unpackedBytes > MAX_UNPACKED_BYTES) {
    throw new BrowserBuildError(
      `the browser function and its layer unpack to ${mib(unpackedBytes)}, over Lambda's ${mib(MAX_UNPACKED_BYTES)}`,
    );
  }
  log(
    `browser bundle: ${relative(options.cwd, outfile)} ${mib(bundleBytes)}; zip ${relative(options.cwd, zip)} ${mib(zipped.byteLength)} (with playwright-core)`,
  );
  log(
    `chromium layer: ${relative(options.cwd, layer.zip)} ${mib(layer.zipBytes)}; unpacked with the function ${mib(unpackedBytes)} of ${mib(MAX_UNPACKED_BYTES)}`,
  );
  return {
    bundle: outfile,
    zip,
    layerZip: layer.zip,
    bundleBytes,
    zipBytes: zipped.byteLength,
    layerZipBytes: layer.zipBytes,
    unpackedBytes,
  };
}

/**
 * chromium/bin/*.br of @sparticuz/chromium, stored as they are (brotli already). Written again only
 * when the package changes: it is 70 MB, and the same for every build of a version.
 */
async function writeChromiumLayer(outDir: string, cwd: string): Promise<{ zip: string; zipBytes: number; unpackedBytes: number }> {
  const bin = join(packageDir('@sparticuz/chromium', cwd), 'bin');
  const names = (await readdir(bin)).filter((n) => n.endsWith('.br')).sort();
  if (!names.includes('chromium.br')) throw new BrowserBuildError(`no chromium.br in ${bin}: reinstall @sparticuz/chromium`);
  let unpackedBytes = 0;
  const fingerprint = createHash('sha256');
  for (const name of names) {
    const size = (await stat(join(bin, name))).size;
    unpackedBytes += size;
    fingerprint.update(`${name}:${size}\n`);
  }
  const zip = join(outDir, 'chromium-layer.zip');
  const stamp = `${zip}.sha256`;
  const digest = fingerprint.digest('hex');
  if (existsSync(zip) && existsSync(stamp) && (await readFile(stamp, 'utf8')) === digest) {
    return { zip, zipBytes: (await stat(zip)).size, unpackedBytes };
  }
  const files: Zippable = {};
  for (const name of names) files[`chromium/bin/${name}`] = [bytes(await readFile(join(bin, name))), { level: 0, mtime: FIXED_TIME }];
  const zipped = zipSync(files);
  await writeFile(zip, zipped);
  await writeFile(stamp, digest);
  return { zip, zipBytes: zipped.byteLength, unpackedBytes };
}

/** The installed folder of a package: up from its entry file to the package.json that names it. */
function packageDir(name: string, cwd: string): string {
  const require = createRequire(join(cwd, 'package.json'));
  for (let dir = dirname(require.resolve(name)); dir !== dirname(dir); dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === name) return dir;
  }
  throw new BrowserBuildError(`cannot find the folder of ${name} (is it installed?)`);
}

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await filesUnder(path)));
    else if (entry.isFile()) out.push(path);
  }
  return out.sort();
}

function bytes(data: Buffer): Uint8Array {
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

function mib(n: number): string {
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}
