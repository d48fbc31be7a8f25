// Names derived from a collector name, in Terraform and in AWS. A collector has
// one queue, `<prefix>-<name>-tasks` (label `<name>_tasks`); the project's own
// resources (`<prefix>-dead-letters`, `<prefix>-start-failures`) do not end in
// `-tasks`, so no collector name can claim one of them.

/** Where the generated module and per-environment files live, relative to deploy/terraform. */
export const GENERATED_DIR = 'generated';
export const ENVIRONMENTS_DIR = 'environments';

const COLLECTOR_NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;

export function isCollectorName(name: string): boolean {
  return COLLECTOR_NAME.test(name);
}

/**
 * Terraform label of a collector: dashes become underscores (names hold no
 * underscores, so this is one-to-one) and a leading digit gets a leading underscore.
 */
function collectorLabel(name: string): string {
  const label = name.replace(/-/g, '_');
  return /^[0-9]/.test(label) ? `_${label}` : label;
}

export const labels = {
  tasksQueue: (name: string) => `${collectorLabel(name)}_tasks`,
  /** Resources a collector has one of (event source mapping, schedule). */
  single: (name: string) => collectorLabel(name),
};

/** AWS names, after the name prefix (the function name) and a dash; shared with the function. */
export { awsNames } from '../../runtime/language/deployment-names.ts';

/** SQS queue names are at most 80 characters. */
export const MAX_QUEUE_NAME = 80;

export function collectorFileName(name: string): string {
  return `${GENERATED_DIR}/collector_${name}.tf`;
}

/**
 * Names in the Glue Data Catalog, where Athena wants lower case letters, digits
 * and underscores: a collector's table is its name with underscores for dashes
 * (`books-toscrape` -> `books_toscrape`); the database is the function name's.
 */
export const catalogNames = {
  table: (collector: string) => collector.replace(/-/g, '_'),
  /** The project's table of finished runs (catalog.tf); no collector's table may take it. */
  runsTable: 'collect_runs',
};
