// `npm run build`: the Lambda deployment package, and the CLI as JavaScript.
//   dist/lambda/index.mjs   the bundle (handler: index.handler, runtime nodejs22.x, arm64 or x86_64)
//   dist/lambda/collectors/<name>.json  each collector, validated and resolved, read by name at run time
//   dist/lambda.zip         what Terraform uploads: the two above
//   dist/lambda-browser.zip, dist/chromium-layer.zip   the browser function and its Chromium (browser-bundle.ts)
//   dist/cli/main.mjs       what `npx collect` runs
// The collectors of collectors/ are validated and embedded; the build fails on any error.
import { dirname, resolve } from 'node:path';
import { buildBrowserLambda } from './browser-bundle.ts';
import { bundle, bytesByPackage } from './bundle.ts';
import { bundleCli } from './cli-bundle.mjs';
import { collectorEntries, collectorsToEmbed, writeCollectorFiles } from './embed.ts';
import { coldInitMs } from './measure.ts';
import { writeZip } from './zip.ts';

export interface BuildOptions {
  cwd: string;
  /** Collector files or folders. Default ['collectors']. */
  collectors?: string[];
  /** Output folder. Default dist. */
  outDir?: string;
  /** Import the bundle in fresh processes and report the median time. Default true. */
  measure?: boolean;
  log?: (line: string) => void;
}

export interface BuildResult {
  bundle: string;
  zip: string;
  bundleBytes: number;
  zipBytes: number;
  collectors: string[];
  coldInitMs?: number;
}

export const MAX_ZIP_BYTES = 1024 * 1024;

export async function buildLambda(options: BuildOptions): Promise<BuildResult> {
  const log = options.log ?? (() => {});
  const outDir = options.outDir ?? 'dist';
  const collectors = await collectorsToEmbed(options.collectors ?? ['collectors'], options.cwd);
  const outfile = `${outDir}/lambda/index.mjs`;
  const bundled = await bundle(options.cwd, outfile);
  const bundleDir = dirname(resolve(options.cwd, outfile));
  const entries = collectorEntries(collectors);
  await writeCollectorFiles(bundleDir, entries);
  const zip = resolve(options.cwd, outDir, 'lambda.zip');
  const files: Record<string, string> = { 'index.mjs': resolve(options.cwd, outfile) };
  for (const name of [...entries.keys()].sort()) files[name] = resolve(bundleDir, name);
  const zipBytes = await writeZip(zip, files);
  const result: BuildResult = {
    bundle: resolve(options.cwd, outfile),
    zip,
    bundleBytes: bundled.bytes,
    zipBytes,
    collectors: collectors.map((c) => c.collector.name),
  };
  log(`collectors: ${result.collectors.join(', ')}`);
  log(
    `bundle: ${outfile} ${kib(bundled.bytes)}; largest parts: ${bytesByPackage(bundled.metafile)
      .slice(0, 6)
      .map(([n, b]) => `${n} ${kib(b)}`)
      .join(', ')}`,
  );
  log(`zip: ${outDir}/lambda.zip ${kib(zipBytes)}${zipBytes > MAX_ZIP_BYTES ? ' (over the 1 MiB target)' : ''}`);
  if (options.measure ?? true) {
    result.coldInitMs = await coldInitMs(result.bundle);
    log(`cold init (import in a fresh node ${process.version} process, median of 5): ${result.coldInitMs.toFixed(1)} ms`);
  }
  return result;
}

function kib(n: number): string {
  return `${(n / 1024).toFixed(1)} KiB`;
}

const isEntry = process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (isEntry) {
  try {
    await buildLambda({ cwd: process.cwd(), log: (line) => console.log(line) });
    // The second function, for the collectors with a browser block: its zip and its Chromium layer, sizes checked.
    await buildBrowserLambda({
      cwd: process.cwd(),
      collectors: await collectorsToEmbed(['collectors'], process.cwd()),
      log: (line) => console.log(line),
    });
    console.log(`cli: ${await bundleCli(process.cwd())}`);
  } catch (err) {
    console.error(`build failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  }
}
