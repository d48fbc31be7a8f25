// Checks that need more than the schema: names that must agree, references that
// must resolve, expressions that must compile.
import type { Collector } from './generated/collector.types.ts';
import type { Issue } from './issue.ts';
import { lintBodyPaths } from './lint/body-paths.ts';
import { lintBounds } from './lint/bounds.ts';
import { lintBrowser } from './lint/browser.ts';
import { lintVariables } from './lint/dates.ts';
import { lintDeploymentFit, type DeploymentFacts } from './lint/deployment-fit.ts';
import { lintExpressions } from './lint/expressions.ts';
import { lintExtractFormats } from './lint/extract-formats.ts';
import { lintFieldReferences } from './lint/field-refs.ts';
import { lintHygiene, lintName } from './lint/hygiene.ts';
import { lintDiscovery } from './lint/discover.ts';
import { lintNetwork } from './lint/network.ts';
import { lintAuth } from './lint/auth.ts';
import { lintRobots } from './lint/robots.ts';
import { lintOptionSets } from './lint/options.ts';
import { lintDeployment } from './lint/schedule.ts';
import { lintSecrets } from './lint/secrets.ts';
import { lintSeeds } from './lint/seeds.ts';
import { lintSession } from './lint/session.ts';
import { lintTemplates } from './lint/templates.ts';

export interface LintContext {
  /** The file the collector came from; its base name must equal `name`. */
  file: string;
  /** What the deployed function has (from collect.config.yaml), when the caller knows it. */
  deployment?: DeploymentFacts;
}

type Rule = (c: Collector, ctx: LintContext) => Issue[];

const RULES: readonly Rule[] = [
  (c, ctx) => lintName(c, ctx.file),
  lintTemplates,
  lintSecrets,
  lintExpressions,
  lintExtractFormats,
  lintOptionSets,
  lintFieldReferences,
  lintVariables,
  lintSeeds,
  lintBounds,
  lintBodyPaths,
  lintNetwork,
  lintBrowser,
  lintAuth,
  lintSession,
  lintRobots,
  lintDeployment,
  (c, ctx) => (ctx.deployment ? lintDeploymentFit(c, ctx.deployment) : []),
  lintDiscovery,
  lintHygiene,
];

export function lintCollector(c: Collector, ctx: LintContext): Issue[] {
  return RULES.flatMap((rule) => rule(c, ctx));
}

/**
 * Lints a document the schema rejected, so one run reports every mistake. The
 * rules assume the schema's types; a rule that trips over a value of the wrong
 * type is skipped (the schema error already explains it), and findings inside a
 * value the schema rejected are left out as noise.
 */
export function lintBestEffort(value: object, ctx: LintContext, schemaIssues: readonly Issue[]): Issue[] {
  const c = value as Collector;
  const rejected = schemaIssues.map((i) => i.path);
  const issues: Issue[] = [];
  for (const rule of RULES) {
    try {
      issues.push(...rule(c, ctx));
    } catch {
      // A wrong type the schema reported; see above.
    }
  }
  // Inside a rejected value, and "needs X" findings on a mapping whose options were rejected (a misspelt X).
  return issues.filter(
    (i) => !rejected.some((r) => startsWith(i.path, r) || (i.at === 'container' && i.path.length > 0 && startsWith(r, i.path))),
  );
}

function startsWith(path: readonly unknown[], prefix: readonly unknown[]): boolean {
  return prefix.length <= path.length && prefix.every((seg, i) => String(seg) === String(path[i]));
}
