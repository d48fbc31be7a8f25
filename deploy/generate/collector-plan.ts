// What the AWS deployment needs to know about one collector, with every default
// applied: its output prefix (for the S3 permission), the SSM parameters it reads,
// its schedule and how hard its queue is drained.
import type { Collector } from '../../runtime/language/generated/collector.types.ts';
import { secretReferences } from '../../runtime/core/secrets.ts';
import { GenerateError } from './errors.ts';
import { isCollectorName } from './names.ts';

export interface SchedulePlan {
  expression: string;
  timezone: string;
  /** 0 means the flexible time window is off. */
  flexibleWindowMinutes: number;
  enabled: boolean;
}

export interface CollectorPlan {
  name: string;
  /**
   * Object keys the collector may write, as an S3 resource suffix after `<bucket ARN>/`:
   * `books/*` for `s3://bucket/books`, `data/x-*` for `s3://bucket/data/x-{{ date }}`.
   * Never empty: an output without a fixed prefix is refused.
   */
  outputResource: string;
  /** SSM parameters referenced as `${ssm:...}`: names (`/github/token`) or full ARNs; sorted, unique. */
  ssmParameters: string[];
  schedule?: SchedulePlan;
  scaling: { batchSize: number; batchingWindowSeconds: number; maxConcurrency: number };
}

const DEFAULT_SCALING = { batchSize: 5, batchingWindowSeconds: 0, maxConcurrency: 2 } as const;
const NAME_PLACEHOLDER = /\{\{\s*name\s*\}\}/g;
const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;
const ANY_PLACEHOLDER = '{{';

export function planCollector(collector: Collector): CollectorPlan {
  const { name } = collector;
  if (!isCollectorName(name)) throw new GenerateError(`"${name}" is not a collector name (lower case letters, digits and dashes)`, name);
  const plan: CollectorPlan = {
    name,
    outputResource: outputResource(collector),
    ssmParameters: ssmParameters(collector),
    scaling: {
      batchSize: collector.scaling?.batchSize ?? DEFAULT_SCALING.batchSize,
      batchingWindowSeconds: collector.scaling?.batchingWindowSeconds ?? DEFAULT_SCALING.batchingWindowSeconds,
      maxConcurrency: collector.scaling?.maxConcurrency ?? DEFAULT_SCALING.maxConcurrency,
    },
  };
  if (collector.schedule) {
    plan.schedule = {
      expression: collector.schedule.expression,
      timezone: collector.schedule.timezone ?? 'UTC',
      flexibleWindowMinutes: collector.schedule.flexibleWindowMinutes ?? 0,
      enabled: collector.schedule.enabled ?? true,
    };
  }
  return plan;
}

/**
 * The literal part of the output key prefix, up to the first template other than
 * `{{ name }}`. On AWS records go to the project bucket (COLLECT_BUCKET), so only
 * the prefix matters here; a templated bucket is still refused, since it says the
 * author expects the bucket to vary, which the deployment does not do.
 */
function outputResource(collector: Collector): string {
  const output = collector.output.replace(NAME_PLACEHOLDER, collector.name);
  const m = /^s3:\/\/([^/]*)(?:\/(.*))?$/.exec(output);
  if (!m) throw new GenerateError(`output "${collector.output}" is not an s3://bucket/prefix URI`, collector.name);
  const bucket = m[1]!;
  if (bucket === '' || bucket.includes(ANY_PLACEHOLDER)) {
    throw new GenerateError(`the bucket of output "${collector.output}" must be written out, not a template`, collector.name);
  }
  const key = (m[2] ?? '').replace(/^\/+/, '');
  const cut = key.indexOf(ANY_PLACEHOLDER);
  const literal = cut >= 0 ? key.slice(0, cut) : key.replace(/\/+$/, '');
  if (/[*?]/.test(literal)) throw new GenerateError(`output "${collector.output}" holds "*" or "?", which IAM would read as a wildcard`, collector.name);
  if (literal === '') {
    // The function is shared: one collector allowed to write anywhere makes every prefix writable.
    throw new GenerateError(`output "${collector.output}" must start with a fixed prefix (s3://bucket/${collector.name}/...), so that its write permission can be scoped`, collector.name);
  }
  return cut >= 0 ? `${literal}*` : `${literal}/*`;
}

function ssmParameters(collector: Collector): string[] {
  const request = collector.request;
  if (!request) return [];
  const texts: string[] = [];
  collectStrings(request.headers, texts);
  collectStrings(request.query, texts);
  collectStrings(request.body, texts);
  const names = new Set<string>();
  const constants = constantVariables(collector);
  for (const text of texts) {
    // Templates are rendered before secrets are resolved, so `${ssm:/{{ name }}/token}` names one parameter.
    const rendered = text.replace(PLACEHOLDER, (whole, name: string) => constants.get(name) ?? whole);
    for (const ref of secretReferences(rendered)) {
      if (ref.source !== 'ssm') continue;
      const key = ref.key.trim();
      if (key.includes(ANY_PLACEHOLDER)) {
        throw new GenerateError(`${ref.text} depends on a variable that takes several values, so the parameter it reads cannot be granted; write the parameter name out`, collector.name);
      }
      if (/[*?]/.test(key) || key === '') throw new GenerateError(`${ref.text} is not a parameter name`, collector.name);
      names.add(key.startsWith('arn:') || key.startsWith('/') ? key : `/${key}`);
    }
  }
  return [...names].sort();
}

/** `name` and the variables that are one constant: their values are known before any run. */
function constantVariables(collector: Collector): Map<string, string> {
  const constants = new Map<string, string>([['name', collector.name]]);
  for (const [key, value] of Object.entries(collector.variables ?? {})) {
    if (typeof value === 'string' || typeof value === 'number') constants.set(key, String(value));
  }
  return constants;
}

function collectStrings(value: unknown, out: string[]): void {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) collectStrings(v, out);
  else if (value !== null && typeof value === 'object') for (const v of Object.values(value)) collectStrings(v, out);
}
