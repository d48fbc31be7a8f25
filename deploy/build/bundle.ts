// esbuild: one ES module for Node 22 (Lambda nodejs22.x, arm64 or x86_64), with
// every dependency bundled, the AWS SDK v3 included: the version is pinned by
// our lockfile instead of whatever the runtime ships (S3 conditional writes
// need a recent one), and the zip stays well under a megabyte.
import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { build, type BuildOptions, type Metafile } from 'esbuild';
import { BROWSER_PACKAGES } from './browser-packages.ts';

const ENTRY = 'runtime/drivers/lambda/index.ts';

/**
 * Packages that must stay out of the function: YAML parsing and schema validation happen at build time,
 * and DuckDB is for `collect query` on a laptop (Athena queries the records on AWS).
 */
const FORBIDDEN_PACKAGES = ['yaml', 'ajv', 'json-schema-to-typescript', '@duckdb/node-api', '@duckdb/node-bindings'];
/** Project code that must stay out of it too: the tools (CLI, review, codegen) never run on AWS. */
const FORBIDDEN_CODE = /^runtime\/tools\//;

class BundleError extends Error {
  override readonly name = 'BundleError';
}

export interface BundleResult {
  outfile: string;
  bytes: number;
  metafile: Metafile;
}

// Bundled CommonJS packages call require() for Node built-ins; an ES module has none.
const REQUIRE_BANNER =
  "import { createRequire as __collectCreateRequire } from 'node:module'; const require = __collectCreateRequire(import.meta.url);";

/** How both functions' code is built: one minified ESM file for Lambda's Node 22, `require` available to CommonJS dependencies. */
export const LAMBDA_BUILD = {
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'esm',
  mainFields: ['module', 'main'],
  minify: true,
  treeShaking: true,
  legalComments: 'none',
  metafile: true,
  logLevel: 'warning',
  banner: { js: REQUIRE_BANNER },
} as const satisfies BuildOptions;

/** The function's code alone: the collectors are files beside it (embed.ts), read by name when a run arrives. */
export async function bundle(cwd: string, outfile: string): Promise<BundleResult> {
  await mkdir(dirname(resolve(cwd, outfile)), { recursive: true });
  const result = await build({
    ...LAMBDA_BUILD,
    absWorkingDir: cwd,
    entryPoints: [ENTRY],
    outfile,
    // The browser stays out: only the browser function carries it (browser-bundle.ts); here the
    // engine's lazy import of it is left as it is and never runs (no collector of this function has a browser).
    external: [...BROWSER_PACKAGES],
  });
  const forbidden = forbiddenInputs(result.metafile);
  if (forbidden.length) throw new BundleError(`the bundle pulls in ${forbidden.join(', ')}; these must run at build time only`);
  const out = Object.values(result.metafile.outputs)[0]!;
  return { outfile, bytes: out.bytes, metafile: result.metafile };
}

export function forbiddenInputs(metafile: Metafile): string[] {
  const found = new Set<string>();
  for (const input of Object.keys(metafile.inputs)) {
    const m = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
    if (m && FORBIDDEN_PACKAGES.includes(m[1]!)) found.add(m[1]!);
    if (FORBIDDEN_CODE.test(input)) found.add(input);
  }
  return [...found].sort();
}

/** Bytes in the bundle per package (or `(project)`), largest first: what to look at when it grows. */
export function bytesByPackage(metafile: Metafile): [string, number][] {
  const sizes = new Map<string, number>();
  for (const output of Object.values(metafile.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const m = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
      const name = m ? m[1]! : '(project)';
      sizes.set(name, (sizes.get(name) ?? 0) + bytesInOutput);
    }
  }
  return [...sizes].sort((a, b) => b[1] - a[1]);
}
