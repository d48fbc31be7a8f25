// The collectors go into the deployment package as data: loaded and validated
// here, at build time, with the same loader as `collect validate`; any error
// fails the build. Each becomes one file, `collectors/<name>.json` beside the
// bundle, which the function reads the first time a run of that collector
// arrives (runtime/drivers/lambda/collector-files.ts): nothing is parsed or
// validated at cold start, and a thousand collectors cost the cold start what
// two do.
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { formatText, hasErrors } from '../../runtime/language/diagnostic.ts';
import { loadCollectors } from '../../runtime/language/load.ts';
import type { RunnableCollector as EmbeddedCollector } from '../../runtime/language/load.ts';

/** The folder beside the bundle, in dist/lambda/ and in the zip; the function reads `./collectors/` next to itself. */
export const COLLECTORS_DIR = 'collectors';

export class CollectorBuildError extends Error {
  override readonly name = 'CollectorBuildError';
}

export async function collectorsToEmbed(paths: string[], cwd: string): Promise<EmbeddedCollector[]> {
  const { loaded, diagnostics } = await loadCollectors(paths, cwd);
  if (hasErrors(diagnostics)) {
    throw new CollectorBuildError(
      `the collectors have errors; nothing was built:\n${formatText(diagnostics.filter((d) => d.severity === 'error')).trimEnd()}`,
    );
  }
  if (loaded.length === 0) throw new CollectorBuildError(`no collectors found in ${paths.join(', ')}`);
  return loaded.map((l) => ({ collector: l.collector, hash: l.hash }));
}

/** Zip entry name to contents: `collectors/<name>.json`, one per collector. */
export function collectorEntries(collectors: readonly EmbeddedCollector[]): Map<string, string> {
  const entries = new Map<string, string>();
  for (const c of collectors) entries.set(`${COLLECTORS_DIR}/${c.collector.name}.json`, JSON.stringify(c));
  return entries;
}

/** Writes the collector files into `bundleDir/collectors/`, removing those of collectors no longer built. */
export async function writeCollectorFiles(bundleDir: string, entries: ReadonlyMap<string, string>): Promise<void> {
  const dir = join(bundleDir, COLLECTORS_DIR);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  await Promise.all([...entries].map(([name, text]) => writeFile(join(bundleDir, name), text)));
  const written = await readdir(dir);
  if (written.length !== entries.size) throw new CollectorBuildError(`wrote ${written.length} collector files, expected ${entries.size}`);
}
