// What the AWS deployment needs to know about one collector, with every default
// applied: its output prefix (for the S3 permission), the SSM parameters it reads,
// its schedule, how hard its queue is drained and the columns of its records
// (for its table in the Glue Data Catalog).
import type { ResolvedCollector as Collector } from '../../runtime/language/generated/resolved.types.ts';
import { fixedPrefix, splitS3Uri } from '../../runtime/language/s3-uri.ts';
import { requestTextOf, secretReferencesIn } from '../../runtime/language/secret-references.ts';
import { hasPlaceholders, opensPlaceholder, renderKnown } from '../../runtime/language/template.ts';
import { GenerateError } from './errors.ts';
import { isCollectorName } from './names.ts';
import { constantVariables } from '../../runtime/language/variables.ts';
import { usesBrowser } from '../../runtime/language/browser-function.ts';
import { recordColumns, type RecordColumn } from './record-columns.ts';

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
  /** Its pages are rendered in a browser: its queue feeds the browser function (browser-function-file.ts). */
  browser: boolean;
  /** The table over its records, or why it has none. */
  table: TablePlan | { none: string };
}

export interface TablePlan {
  /** The bucket of the collector's `output`: where local runs write (`<out>/<bucket>/<prefix>`); on AWS the project's bucket. */
  bucket: string;
  /** Key prefix of the collector's runs in the project bucket, without slashes at either end: `raw/books-toscrape`. */
  prefix: string;
  columns: RecordColumn[];
  /** Declared fields that are not columns (named like the partition column). */
  leftOut: string[];
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
    table: tableOf(collector),
    browser: usesBrowser(collector),
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

/**
 * The table over a collector's records (in the Glue Data Catalog, and the local
 * view of `collect query`). A table needs one fixed folder above `dt=`: an output
 * whose prefix holds a template other than `{{ name }}` (`api/x-{{ date }}`)
 * spreads its runs over many folders, which one table location cannot cover.
 */
export function tableOf(collector: Collector): TablePlan | { none: string } {
  const { bucket, literal, templated } = fixedPrefix(collector.output, collector.name);
  if (templated)
    return { none: `its output prefix "${collector.output}" holds a template, so its runs have no one folder a table could cover` };
  const { columns, leftOut } = recordColumns(collector);
  if (columns.length === 0) return { none: 'it declares no fields' };
  return { bucket, prefix: literal, columns, leftOut };
}

function ssmParameters(collector: Collector): string[] {
  const names = new Set<string>();
  const constants = { ...constantVariables(collector.variables), name: collector.name };
  // Templates are rendered before secrets are resolved, so `${ssm:/{{ name }}/token}` names one parameter.
  // The request and the login steps of `session`: both are request text.
  for (const ref of secretReferencesIn(requestTextOf(collector), (text) => renderKnown(text, constants))) {
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
