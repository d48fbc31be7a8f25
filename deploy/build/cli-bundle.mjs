// The CLI as plain JavaScript (dist/cli/main.mjs): what `npx collect` and
// `npm run collect --` always run. Plain JavaScript itself, so the launcher
// can rebuild a stale bundle without a TypeScript loader.
// Dependencies stay in node_modules; commands stay lazy (one chunk each), so
// `collect run` never loads the AWS SDK that `collect status` needs.
import { existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CLI_OUT_DIR = 'dist/cli';

/** Source folders the bundle is made of (TypeScript, and the JSON it embeds). */
const SOURCES = ['runtime', 'schemas', 'deploy'];

/** Builds dist/cli under `root` and returns the entry file. Readers never see a half-written bundle. */
export async function bundleCli(root) {
  const { build } = await import('esbuild');
  const outdir = resolve(root, CLI_OUT_DIR);
  const staging = `${outdir}.${process.pid}.${Date.now()}.tmp`;
  await build({
    absWorkingDir: root,
    entryPoints: { main: 'runtime/tools/cli/main.ts' },
    outdir: staging,
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
  const old = `${staging}.old`;
  if (existsSync(outdir)) renameSync(outdir, old);
  renameSync(staging, outdir);
  rmSync(old, { recursive: true, force: true });
  return join(outdir, 'main.mjs');
}

/** True when the bundle exists and no source is newer than it. */
export function bundleIsFresh(root) {
  let built;
  try {
    built = statSync(join(root, CLI_OUT_DIR, 'main.mjs')).mtimeMs;
  } catch {
    return false;
  }
  return SOURCES.every((dir) => newestMtime(join(root, dir)) <= built);
}

function newestMtime(dir) {
  let newest = 0;
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'terraform' && entry.name !== 'node_modules') newest = Math.max(newest, newestMtime(path));
    } else if (/\.(ts|mjs|json)$/.test(entry.name)) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

const isEntry = process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isEntry) {
  try {
    console.log(`cli: ${await bundleCli(process.cwd())}`);
  } catch (err) {
    console.error(`cli build failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  }
}
