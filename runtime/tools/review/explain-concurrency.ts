// `collect explain`'s view of the project's concurrency: the most invocations
// the scheduled collectors can ask for at once (deploy/generate/concurrency.ts:
// runs whose schedules make them overlap), against the account's limit and the
// function's reserved concurrency, and this collector's part in that peak.
import { access } from 'node:fs/promises';
import { resolve } from 'node:path';
import { DEFAULT_CONFIG_FILE, loadProjectConfig, type ProjectSettings } from '../../../deploy/config/project-config.ts';
import {
  concurrencyPeak,
  concurrencyWarnings,
  PROJECT_OWN,
  RUN_MINUTES,
  scheduleOf,
  WINDOW_MINUTES,
} from '../../../deploy/generate/concurrency.ts';
import type { ResolvedCollector as Collector } from '../../language/generated/resolved.types.ts';
import { loadCollectors } from '../../language/load.ts';
import projectSchema from '../../../schemas/project.schema.json' with { type: 'json' };

export interface ProjectConcurrency {
  /** Lines for one collector of the project. */
  linesFor(collector: string): string[];
}

/**
 * The project's collectors (every file of `collectorsDir`, with the explained
 * ones in place of their saved versions) and its concurrency settings, from
 * `configFile` when the project has one.
 */
export async function projectConcurrency(
  collectorsDir: string,
  explained: readonly Collector[],
  cwd: string,
  configFile?: string,
  environment?: string,
): Promise<ProjectConcurrency> {
  const { loaded } = await loadCollectors([collectorsDir], cwd);
  const byName = new Map(loaded.map((l) => [l.collector.name, l.collector]));
  for (const c of explained) byName.set(c.name, c);
  const peak = concurrencyPeak([...byName.values()].map(scheduleOf));
  const { settings, source, environment: env } = await concurrencySettings(cwd, configFile, environment);
  const { accountLimit, reserved } = settings.concurrency;
  const model = `model: a run lasts up to ${RUN_MINUTES} min after its start (plus its flexible window), in ${WINDOW_MINUTES}-minute windows of the week in UTC; rate() schedules count in every window, collectors without a schedule in none (docs/aws.md, "Concurrency")`;
  return {
    linesFor(name) {
      const own = peak.collectors.find((c) => c.name === name);
      const where = peak.window
        ? `${peak.peak} invocations at once in ${peak.window}: ${peak.collectors.length} of the ${peak.scheduled} scheduled collectors can be running then, + ${PROJECT_OWN} of the project's own`
        : `${peak.peak} invocations at once (no collector is scheduled; the project's own only)`;
      const part = own
        ? `this collector can take up to ${own.maxConcurrency} of them (scaling.maxConcurrency)`
        : byName.get(name)?.schedule?.enabled
          ? 'this collector is not running in that window'
          : 'this collector has no enabled schedule, so it is not counted: a run started by hand adds its scaling.maxConcurrency on top';
      return [
        `project peak: ${where}`,
        part,
        `account limit ${accountLimit}, reserved concurrency ${reserved ?? 'none'} (${source})`,
        ...concurrencyWarnings(peak, settings, env).map((w) => `WARNING: ${w}`),
        model,
      ];
    },
  };
}

async function concurrencySettings(
  cwd: string,
  configFile: string | undefined,
  environment: string | undefined,
): Promise<{ settings: Pick<ProjectSettings, 'concurrency'>; source: string; environment: string }> {
  const file = resolve(cwd, configFile ?? DEFAULT_CONFIG_FILE);
  const exists = await access(file).then(
    () => true,
    () => false,
  );
  if (!exists) {
    const accountLimit = projectSchema.$defs.concurrency.properties.accountLimit.default;
    return {
      settings: { concurrency: { accountLimit } },
      source: `defaults (no ${DEFAULT_CONFIG_FILE})`,
      environment: environment ?? 'dev',
    };
  }
  const config = await loadProjectConfig(file, environment);
  return {
    settings: config,
    source: `${configFile ?? DEFAULT_CONFIG_FILE}, environment ${config.environment}`,
    environment: config.environment,
  };
}
