// A collector must only use what the deployed function has: the environment
// variables collect.config.yaml sets on it (`env`), the SSM parameters its role
// may read (below `ssm.pathPrefix` with `iam.scope: project`), and a timeout
// long enough for one page with every retry. The language layer knows nothing
// of the project config: `collect validate` and `collect generate` read it and
// hand in these facts.
import type { Collector } from '../generated/collector.types.ts';
import type { Issue, PathSegment } from '../issue.ts';
import { resolveCollector } from '../resolve.ts';
import { secretReferences } from '../secret-references.ts';
import { renderKnown } from '../template.ts';
import { constantVariables } from '../variables.ts';

/** What the deployment gives a collector, over every environment of collect.config.yaml. */
export interface DeploymentFacts {
  /** Variables of `env` that the function has in every environment. */
  envNames: readonly string[];
  /** Variables of `env` set in some environments only, with the environments that lack them. */
  envMissingIn?: Readonly<Record<string, readonly string[]>>;
  /** `project` when any environment grants SSM parameters by path prefix. */
  iamScope: 'project' | 'collector';
  /** The `ssm.pathPrefix` of every environment with `iam.scope: project`: a parameter must be below each. */
  ssmPathPrefixes: readonly string[];
  /** The shortest function timeout of any environment, in seconds. */
  timeoutSeconds: number;
  /** The environment with that timeout. */
  timeoutEnvironment?: string;
}

/** Seconds kept for the rest of a task (reading the page, writing the part, the ledger) after its slowest page. */
const TASK_RESERVE_SECONDS = 5;

const CONFIG = 'collect.config.yaml';

export function lintDeploymentFit(c: Collector, facts: DeploymentFacts): Issue[] {
  return [...referenceIssues(c, facts), ...timeoutIssues(c, facts)];
}

/** Every `${env:…}` and `${ssm:…}` of the request (the only place they are resolved), with the path of its string. */
function* requestReferences(c: Collector): Generator<{ path: PathSegment[]; text: string; source: 'env' | 'ssm'; key: string }> {
  const walk = function* (
    value: unknown,
    path: PathSegment[],
  ): Generator<{ path: PathSegment[]; text: string; source: 'env' | 'ssm'; key: string }> {
    if (typeof value === 'string') {
      for (const ref of secretReferences(value))
        if (ref.source !== 'session') yield { path, text: ref.text, source: ref.source, key: ref.key.trim() };
    } else if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) yield* walk(value[i], [...path, i]);
    } else if (value !== null && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) yield* walk(v, [...path, k]);
    }
  };
  yield* walk(c.request, ['request']);
  for (const [i, step] of (c.session?.login ?? []).entries())
    for (const part of ['headers', 'query', 'body'] as const) yield* walk(step[part], ['session', 'login', i, part]);
}

function referenceIssues(c: Collector, facts: DeploymentFacts): Issue[] {
  const issues: Issue[] = [];
  const env = new Set(facts.envNames);
  const constants = { ...constantVariables(resolveCollector(c).variables), name: c.name };
  for (const ref of requestReferences(c)) {
    if (ref.source === 'env') {
      if (env.has(ref.key)) continue;
      const lacking = facts.envMissingIn?.[ref.key];
      issues.push({
        path: ref.path,
        needle: ref.text,
        message: lacking
          ? `${ref.text}: the function has no environment variable ${ref.key} in ${plural('environment', lacking)} ${lacking.join(', ')}`
          : `${ref.text}: the deployed function has no environment variable ${ref.key}`,
        hint: `a secret belongs in SSM Parameter Store, referenced as \${ssm:/path}; a plain value goes under env: in ${CONFIG} (${ref.key}: …)`,
      });
      continue;
    }
    if (facts.iamScope !== 'project' || facts.ssmPathPrefixes.length === 0) continue;
    // Templates are rendered before secrets are resolved: `${ssm:/collect/{{ name }}/token}` names one parameter.
    // A placeholder left (a variable with several values) hides the rest: only the text before it is checked.
    const name = parameterName(renderKnown(ref.key, constants));
    const open = name.indexOf('{{');
    const known = open < 0 ? name : name.slice(0, open);
    const outside = facts.ssmPathPrefixes.filter((prefix) =>
      open < 0 ? !name.startsWith(prefix) : !(known.startsWith(prefix) || prefix.startsWith(known)),
    );
    if (outside.length === 0) continue;
    issues.push({
      path: ref.path,
      needle: ref.text,
      message: `${ref.text}: the function may read only the SSM parameters below ${outside.join(' and ')} (ssm.pathPrefix of ${CONFIG})`,
      hint: `move the parameter under ${outside[0]} (e.g. ${outside[0]}${name.replace(/^\/+/, '')}), or set iam.scope: collector in ${CONFIG} to grant each parameter by name`,
    });
  }
  return issues;
}

/** The parameter's name: `/path` as written, `path` made absolute, the name part of a full ARN. */
function parameterName(key: string): string {
  const arn = /^arn:[^:]+:ssm:[^:]*:[^:]*:parameter(\/.*)$/.exec(key);
  if (arn) return arn[1]!;
  return key.startsWith('/') ? key : `/${key}`;
}

function timeoutIssues(c: Collector, facts: DeploymentFacts): Issue[] {
  const r = resolveCollector(c).request;
  const tries = r.retries.attempts + 1;
  const needed = Math.ceil(r.timeoutSeconds * tries + r.retries.maxDelaySeconds * r.retries.attempts + TASK_RESERVE_SECONDS);
  if (needed <= facts.timeoutSeconds) return [];
  const where = facts.timeoutEnvironment ? ` of environment ${facts.timeoutEnvironment}` : '';
  const written = c.request?.timeoutSeconds !== undefined ? 'timeoutSeconds' : c.request?.retries !== undefined ? 'retries' : undefined;
  const path: PathSegment[] = written ? ['request', written] : c.request ? ['request'] : ['name'];
  return [
    {
      path,
      ...(written || c.request ? {} : { at: 'key' as const }),
      message:
        `one page can take ${needed} s (request.timeoutSeconds ${r.timeoutSeconds} s x ${tries} ${plural('try', tries)}, ` +
        `${r.retries.attempts} ${plural('retry', r.retries.attempts)} x up to ${r.retries.maxDelaySeconds} s of backoff, ${TASK_RESERVE_SECONDS} s to spare), ` +
        `more than the function's timeout of ${facts.timeoutSeconds} s${where}`,
      hint: `raise timeoutSeconds in ${CONFIG} to at least ${needed}, or lower request.timeoutSeconds, request.retries.attempts or request.retries.maxDelaySeconds`,
    },
  ];
}

function plural(word: string, n: number | readonly unknown[]): string {
  const count = typeof n === 'number' ? n : n.length;
  if (count === 1) return word;
  return word.endsWith('y') ? `${word.slice(0, -1)}ies` : `${word}s`;
}
