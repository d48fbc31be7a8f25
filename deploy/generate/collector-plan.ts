// What the AWS deployment needs to know about one collector, with every default
// applied: its output prefix (for the S3 permission), the SSM parameters it reads,
// its schedule and how hard its queue is drained.
import type { ResolvedCollector as Collector } from '../../runtime/language/generated/resolved.types.ts';
import { fixedPrefix, splitS3Uri } from '../../runtime/language/s3-uri.ts';
import { secretReferencesIn } from '../../runtime/language/secret-references.ts';
import { hasPlaceholders, opensPlaceholder, renderKnown } from '../../runtime/language/template.ts';
import { GenerateError } from './errors.ts';
import { isCollectorName } from './names.ts';
import { constantVariables } from '../../runtime/language/variables.ts';

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

export function planCollector(collector: Collector): CollectorPlan {
  const { name } = collector;
  if (!isCollectorName(name)) throw new GenerateError(`"${name}" is not a collector name (lower case letters, digits and dashes)`, name);
  const plan: CollectorPlan = {
    name,
    outputResource: outputResource(collector),
    ssmParameters: ssmParameters(collector),
    scaling: {
      batchSize: collector.scaling.batchSize,
      batchingWindowSeconds: collector.scaling.batchingWindowSeconds,
      maxConcurrency: collector.scaling.maxConcurrency,
    },
  };
  if (collector.schedule) {
    const { expression, timezone, flexibleWindowMinutes, enabled } = collector.schedule;
    plan.schedule = { expression, timezone, flexibleWindowMinutes, enabled };
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
  const parts = splitS3Uri(renderKnown(collector.output, { name: collector.name }));
  if (!parts) throw new GenerateError(`output "${collector.output}" is not an s3://bucket/prefix URI`, collector.name);
  if (parts.bucket === '' || hasPlaceholders(parts.bucket)) {
    throw new GenerateError(`the bucket of output "${collector.output}" must be written out, not a template`, collector.name);
  }
  const { literal, templated } = fixedPrefix(collector.output, collector.name);
  if (/[*?]/.test(literal))
    throw new GenerateError(`output "${collector.output}" holds "*" or "?", which IAM would read as a wildcard`, collector.name);
  if (literal === '') {
    // The function is shared: one collector allowed to write anywhere makes every prefix writable.
    throw new GenerateError(
      `output "${collector.output}" must start with a fixed prefix (s3://bucket/${collector.name}/...), so that its write permission can be scoped`,
      collector.name,
    );
  }
  return templated ? `${literal}*` : `${literal}/*`;
}

function ssmParameters(collector: Collector): string[] {
  const names = new Set<string>();
  const constants = { ...constantVariables(collector.variables), name: collector.name };
  // Templates are rendered before secrets are resolved, so `${ssm:/{{ name }}/token}` names one parameter.
  for (const ref of secretReferencesIn(collector.request, (text) => renderKnown(text, constants))) {
    if (ref.source !== 'ssm') continue;
    const key = ref.key.trim();
    if (opensPlaceholder(key)) {
      throw new GenerateError(
        `${ref.text} depends on a variable that takes several values, so the parameter it reads cannot be granted; write the parameter name out`,
        collector.name,
      );
    }
    if (/[*?]/.test(key) || key === '') throw new GenerateError(`${ref.text} is not a parameter name`, collector.name);
    names.add(key.startsWith('arn:') || key.startsWith('/') ? key : `/${key}`);
  }
  return [...names].sort();
}
