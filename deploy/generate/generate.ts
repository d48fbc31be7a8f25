// Collectors and project config in, Terraform files out: a pure function, so the
// committed files can be compared with what it returns (`collect generate --check`).
import type { ProjectConfig } from '../config/project-config.ts';
import type { ResolvedCollector as Collector } from '../../runtime/language/generated/resolved.types.ts';
import { planCollector, type CollectorPlan } from './collector-plan.ts';
import { renderCollectorFile } from './collector-file.ts';
import { BROWSER_FUNCTION_FILE, hasBrowserCollectors, renderBrowserFunctionFile } from './browser-function-file.ts';
import { backendFileName, renderBackendFile, renderVariablesFile, variablesFileName } from './environment-files.ts';
import { GenerateError } from './errors.ts';
import { checkLimits } from './limits.ts';
import { renderCollectorsFile, renderModuleVariables } from './module-files.ts';
import { GENERATED_DIR, catalogNames, collectorFileName } from './names.ts';

/**
 * File name (relative to deploy/terraform) to contents: the generated module under
 * `generated/` (one `collector_<name>.tf` per collector, and two files that name
 * none) and, per environment, `environments/<env>.tfvars` and
 * `environments/<env>.s3.tfbackend`.
 */
export function generateTerraform(collectors: readonly Collector[], config: ProjectConfig): Map<string, string> {
  const plans = planAll(collectors);
  checkLimits(plans, config);
  const files: [string, string][] = [
    [`${GENERATED_DIR}/variables.tf`, renderModuleVariables()],
    [
      `${GENERATED_DIR}/collectors.tf`,
      renderCollectorsFile(
        plans,
        Object.values(config.environments).some((e) => e.iam.scope === 'collector'),
      ),
    ],
    ...plans.map((p): [string, string] => [collectorFileName(p.name), renderCollectorFile(p)]),
    // The second function, only when a collector renders its pages in a browser.
    ...(hasBrowserCollectors(plans) ? [[BROWSER_FUNCTION_FILE, renderBrowserFunctionFile()] as [string, string]] : []),
  ];
  for (const [environment, settings] of Object.entries(config.environments)) {
    files.push([variablesFileName(environment), renderVariablesFile(environment, settings)]);
    files.push([backendFileName(environment), renderBackendFile(environment, settings)]);
  }
  return new Map(files.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Every collector's plan, by name; two collectors of one name, or one whose table would take the runs table's name, are refused. */
function planAll(collectors: readonly Collector[]): CollectorPlan[] {
  const plans = collectors.map(planCollector).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (let i = 1; i < plans.length; i++) {
    if (plans[i]!.name === plans[i - 1]!.name) throw new GenerateError('is defined twice; collector names must be unique', plans[i]!.name);
  }
  for (const p of plans) {
    if (catalogNames.table(p.name) === catalogNames.runsTable)
      throw new GenerateError(`would have the table ${catalogNames.runsTable}, the project's table of runs; choose another name`, p.name);
  }
  return plans;
}
