#!/usr/bin/env -S node --max-semi-space-size=2
// (A small young generation: V8 sizes it for the machine's memory, and a crawl
// then peaks at twice the RSS for the same speed. The flag acts when the file
// is run directly, as `npx collect` does.)
// `npx collect`: runs the bundled CLI (dist/cli/main.mjs, made by `npm run build`
// and on `npm ci`) when it is newer than every source file, and otherwise the
// TypeScript itself through tsx's loader, so an edit never runs stale code.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const bundle = join(root, 'dist', 'cli', 'main.mjs');

/** Newest change among the sources the bundle is made of (TypeScript, and the JSON it imports). */
function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'terraform' && entry.name !== 'node_modules') newest = Math.max(newest, newestMtime(path));
    } else if (/\.(ts|mjs|json)$/.test(entry.name)) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

function bundleIsFresh() {
  try {
    const built = statSync(bundle).mtimeMs;
    return built >= Math.max(newestMtime(join(root, 'runtime')), newestMtime(join(root, 'schemas')), newestMtime(join(root, 'deploy')));
  } catch {
    return false;
  }
}

let main;
if (bundleIsFresh()) {
  ({ main } = await import(bundle));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../runtime/cli/main.ts'));
}
process.exitCode = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd(), env: process.env });
