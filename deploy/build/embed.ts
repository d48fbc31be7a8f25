// The collectors go into the bundle as data: loaded and validated here, at
// build time, with the same loader as `collect validate`; any error fails the
// build. The function then parses no YAML and runs no schema validator.
import { formatText, hasErrors } from '../../runtime/language/diagnostic.ts';
import { loadCollectors } from '../../runtime/language/load.ts';
import type { RunnableCollector as EmbeddedCollector } from '../../runtime/language/load.ts';

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

/** The module that takes the place of runtime/drivers/lambda/embedded-collectors.ts in the bundle. */
export function embeddedModule(collectors: EmbeddedCollector[]): string {
  return `export const embeddedCollectors = ${JSON.stringify(collectors)};\n`;
}
