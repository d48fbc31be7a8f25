#!/usr/bin/env -S node --max-semi-space-size=2
// `npx collect` and `npm run collect --` run one thing: the bundled CLI,
// dist/cli/main.mjs, which `npm ci` builds. When a source is newer than the
// bundle (an edit in a working copy), the bundle is rebuilt first, so an edit
// never runs stale code and there is no second way in.
// (A small young generation: V8 sizes it for the machine's memory, and a crawl
// then peaks at twice the RSS for the same speed.)
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { bundleCli, bundleIsFresh, CLI_OUT_DIR } from '../deploy/build/cli-bundle.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
// The AWS SDK warns on Node 20 that its releases after January 2027 will need
// Node 22; the lockfile pins the SDK this CLI was tested with, so the warning
// (eight lines before every AWS command's output) tells the user nothing to do.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

if (!bundleIsFresh(root)) {
  try {
    await bundleCli(root);
  } catch (err) {
    process.stderr.write(
      `collect: cannot build the CLI (${err instanceof Error ? err.message : String(err)}); run \`npm ci\` in ${root}\n`,
    );
    process.exit(1);
  }
}
const { main, launchCwd } = await import(pathToFileURL(join(root, CLI_OUT_DIR, 'main.mjs')).href);
process.exitCode = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  cwd: launchCwd(root),
  env: process.env,
});
