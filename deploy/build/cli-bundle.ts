// The CLI as plain JavaScript: `bin/collect.mjs` runs dist/cli/main.mjs when it
// is newer than every source, and the TypeScript through tsx otherwise.
// Loading through tsx costs about a tenth of a 1,000-page run.
// Dependencies stay in node_modules; commands stay lazy (one chunk each).
import { rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import { build } from 'esbuild';

export const CLI_OUT_DIR = 'dist/cli';

export async function bundleCli(cwd: string): Promise<string> {
  const outdir = resolve(cwd, CLI_OUT_DIR);
  await rm(outdir, { recursive: true, force: true });
  await build({
    absWorkingDir: cwd,
    entryPoints: { main: 'runtime/cli/main.ts' },
    outdir,
    bundle: true,
    splitting: true,
    packages: 'external',
    platform: 'node',
    target: 'node20',
    format: 'esm',
    chunkNames: 'chunks/[name]-[hash]',
    outExtension: { '.js': '.mjs' },
    logLevel: 'warning',
  });
  return resolve(outdir, 'main.mjs');
}

const isEntry = process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (isEntry) {
  try {
    console.log(`cli: ${await bundleCli(process.cwd())}`);
  } catch (err) {
    console.error(`cli build failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  }
}
