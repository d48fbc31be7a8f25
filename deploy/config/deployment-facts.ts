// What every environment of collect.config.yaml gives a collector, in the shape
// the language's deployment-fit lint takes (the language does not read the
// project config itself). Used by `collect validate` and `collect generate`.
import type { DeploymentFacts } from '../../runtime/language/lint/deployment-fit.ts';
import type { ProjectConfig } from './project-config.ts';

export function deploymentFacts(config: Pick<ProjectConfig, 'environments'>): DeploymentFacts {
  const environments = Object.entries(config.environments);
  const names = new Set(environments.flatMap(([, s]) => Object.keys(s.env)));
  const envNames: string[] = [];
  const envMissingIn: Record<string, string[]> = {};
  for (const name of [...names].sort()) {
    const lacking = environments.filter(([, s]) => !(name in s.env)).map(([environment]) => environment);
    if (lacking.length === 0) envNames.push(name);
    else envMissingIn[name] = lacking;
  }
  const byPrefix = environments.filter(([, s]) => s.iam.scope === 'project');
  const shortest = environments.reduce<[string, number] | undefined>(
    (best, [environment, s]) => (best === undefined || s.timeoutSeconds < best[1] ? [environment, s.timeoutSeconds] : best),
    undefined,
  );
  return {
    envNames,
    ...(Object.keys(envMissingIn).length > 0 ? { envMissingIn } : {}),
    iamScope: byPrefix.length > 0 ? 'project' : 'collector',
    ssmPathPrefixes: [...new Set(byPrefix.map(([, s]) => s.ssm.pathPrefix))].sort(),
    timeoutSeconds: shortest?.[1] ?? Number.POSITIVE_INFINITY,
    ...(shortest && environments.length > 1 ? { timeoutEnvironment: shortest[0] } : {}),
  };
}
