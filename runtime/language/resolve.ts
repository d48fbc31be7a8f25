// After validation, one step turns a collector as written into the resolved
// collector the engine, the review tools and the deploy generator read: every
// default of schemas/collector.schema.json applied, so nothing downstream
// writes `?? default` and a default lives in one place, the schema.
import collectorSchema from '../../schemas/collector.schema.json' with { type: 'json' };
import { withDefaults, type SchemaNode } from './defaults.ts';
import type { Collector } from './generated/collector.types.ts';
import type { ResolvedCollector } from './generated/resolved.types.ts';

// (The JSON module's inferred type is narrower than the schema language; it is read as a schema.)
const schema = collectorSchema as unknown as SchemaNode;

export function resolveCollector(collector: Collector): ResolvedCollector {
  return withDefaults(schema, schema, collector) as unknown as ResolvedCollector;
}

const requestSchema = (schema.properties as Record<string, SchemaNode>).request!;

/** A `request` block alone with its defaults (the fetcher's tests and benchmarks build one). */
export function resolveRequest(request: Collector['request'] = {}): ResolvedCollector['request'] {
  return withDefaults(schema, requestSchema, request) as ResolvedCollector['request'];
}
