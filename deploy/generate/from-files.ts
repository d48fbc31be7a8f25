// The generator's inputs read from disk: the project config and the collector
// files, through the same loader as `collect validate`. Shared by `collect
// generate` and `collect deploy`.
import { readdir, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { formatText, hasErrors } from '../../runtime/language/diagnostic.ts';
import { loadCollectors } from '../../runtime/language/load.ts';
import { deploymentFacts } from '../config/deployment-facts.ts';
import { loadProjectConfig, type ProjectConfig } from '../config/project-config.ts';
import { GenerateError } from './errors.ts';
import { concurrencyPeak, concurrencyWarnings, scheduleOf, type ConcurrencyPeak } from './concurrency.ts';
import { generateTerraform } from './generate.ts';
import { namePrefixWarnings } from './limits.ts';

export interface GenerateInputs {
  cwd: string;
  /** The project config file, relative to cwd. */
  config: string;
  /** Collector files or directories, relative to cwd. */
  collectors: string[];
  environment?: string;
}

export interface Generated {
  config: ProjectConfig;
  files: Map<string, string>;
  collectorCount: number;
  /** The most invocations the scheduled collectors can ask for at once (concurrency.ts). */
  concurrency: ConcurrencyPeak;
  /** What the deployment may do that the generator cannot rule out (two environments' names, a concurrency peak past a limit). */
  warnings: string[];
}

export async function generateFromFiles(inputs: GenerateInputs): Promise<Generated> {
  const config = await loadProjectConfig(resolve(inputs.cwd, inputs.config), inputs.environment);
  const paths = await withoutEmptyDirectories(inputs.collectors, inputs.cwd);
  // Every environment's function must be able to run every collector: its env, SSM path prefix and timeout.
  const context = { deployment: deploymentFacts(config) };
  const { loaded, diagnostics } = paths.length > 0 ? await loadCollectors(paths, inputs.cwd, context) : { loaded: [], diagnostics: [] };
  // A collector with errors is left out by the loader; generating without it would
  // delete its queue and schedule, so nothing is generated until it is fixed.
  if (hasErrors(diagnostics)) {
    const errors = formatText(diagnostics.filter((d) => d.severity === 'error')).trimEnd();
    throw new GenerateError(`the collectors have errors; fix them first (npx collect validate):\n${errors}`);
  }
  const collectors = loaded.map((l) => l.collector);
  const files = generateTerraform(collectors, config);
  const concurrency = concurrencyPeak(collectors.map(scheduleOf));
  const warnings = [
    ...namePrefixWarnings(config),
    ...Object.entries(config.environments).flatMap(([environment, settings]) => concurrencyWarnings(concurrency, settings, environment)),
  ];
  return { config, files, collectorCount: loaded.length, concurrency, warnings };
}

/** Removing the last collector is a valid change: an empty directory means no collectors. */
async function withoutEmptyDirectories(paths: string[], cwd: string): Promise<string[]> {
  const kept: string[] = [];
  for (const p of paths) {
    const abs = resolve(cwd, p);
    const info = await stat(abs).catch(() => undefined);
    if (info?.isDirectory()) {
      const entries = await readdir(abs);
      if (!entries.some((name) => /\.ya?ml$/i.test(name))) continue;
    }
    kept.push(p);
  }
  return kept;
}
