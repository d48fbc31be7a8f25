// Where a run's objects go on AWS: the collector's rendered `output` with the
// deployment's bucket (COLLECT_BUCKET) in place of the one written in the YAML,
// so one collector file serves every environment. Rendered from the run id and
// the collector's constants only, so every task of a run agrees on it.
import type { CompiledCollector } from '../../core/engine/compile.ts';
import { builtinVariables } from '../../core/engine/plan.ts';
import type { RunLocation } from '../../core/engine/ports.ts';
import { parseS3Uri } from '../../language/s3-uri.ts';
import { render } from '../../language/template.ts';

function withBucket(output: string, bucket: string | undefined): string {
  if (!bucket) return output;
  const { prefix } = parseS3Uri(output);
  return `s3://${bucket}/${prefix}`;
}

export function runLocation(compiled: CompiledCollector, runId: string, bucket: string | undefined): RunLocation {
  const spec = compiled.spec;
  const output = render(spec.output, { ...builtinVariables(spec, runId), ...compiled.constants });
  return { collector: spec.name, runId, output: withBucket(output, bucket) };
}
