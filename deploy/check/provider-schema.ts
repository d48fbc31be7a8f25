// Checks Terraform configuration (as parsed by @cdktf/hcl2json) against provider
// schemas in the layout of `terraform providers schema -json`, which is what
// `terraform validate` would catch without a Terraform binary: unknown resource or
// data source types, unknown arguments and blocks, missing required arguments and
// blocks, arguments that are computed only, and too many of a block.
import type { HclBody, HclFile } from './parse.ts';

interface SchemaAttribute {
  type?: unknown;
  required?: boolean;
  optional?: boolean;
  computed?: boolean;
}

interface SchemaBlockType {
  nesting_mode: 'single' | 'group' | 'list' | 'set' | 'map';
  min_items?: number;
  max_items?: number;
  block: SchemaBlock;
}

export interface SchemaBlock {
  attributes?: Record<string, SchemaAttribute>;
  block_types?: Record<string, SchemaBlockType>;
}

interface ProviderEntry {
  provider?: { block: SchemaBlock };
  resource_schemas?: Record<string, { block: SchemaBlock }>;
  data_source_schemas?: Record<string, { block: SchemaBlock }>;
}

export interface ProviderSchemaDocument {
  provider_schemas: Record<string, ProviderEntry>;
}

export type SchemaProblemKind =
  | 'unknown-type'
  | 'unknown-argument'
  | 'unknown-block'
  | 'missing-argument'
  | 'missing-block'
  | 'computed-argument'
  | 'too-many-blocks'
  | 'wrong-shape';

export interface SchemaProblem {
  kind: SchemaProblemKind;
  file: string;
  /** `resource.aws_sqs_queue.books_tasks`, `data.aws_iam_policy_document.x`, `provider.aws`. */
  address: string;
  /** Path inside the block, e.g. `target.retry_policy.maximum_retry_attempts`; empty for the block itself. */
  path: string;
  message: string;
}

/** Arguments every resource or data source takes besides its schema (Terraform's meta-arguments). */
const META_ARGUMENTS = new Set(['count', 'for_each', 'depends_on', 'provider']);
const META_BLOCKS = new Set(['lifecycle', 'provisioner', 'connection']);
const PROVIDER_META = new Set(['alias', 'version']);

export class ProviderSchema {
  private readonly resources = new Map<string, SchemaBlock>();
  private readonly dataSources = new Map<string, SchemaBlock>();
  private readonly providers = new Map<string, SchemaBlock>();

  constructor(document: ProviderSchemaDocument) {
    for (const [source, entry] of Object.entries(document.provider_schemas)) {
      const local = source.split('/').pop()!;
      if (entry.provider) this.providers.set(local, entry.provider.block);
      for (const [type, s] of Object.entries(entry.resource_schemas ?? {})) this.resources.set(type, s.block);
      for (const [type, s] of Object.entries(entry.data_source_schemas ?? {})) this.dataSources.set(type, s.block);
    }
  }

  resource(type: string): SchemaBlock | undefined {
    return this.resources.get(type);
  }

  dataSource(type: string): SchemaBlock | undefined {
    return this.dataSources.get(type);
  }

  provider(name: string): SchemaBlock | undefined {
    return this.providers.get(name);
  }
}

/** Every problem in one parsed file. */
export function checkProviderSchema(file: string, parsed: HclFile, schema: ProviderSchema): SchemaProblem[] {
  const problems: SchemaProblem[] = [];
  for (const [kind, lookup] of [
    ['resource', (t: string) => schema.resource(t)],
    ['data', (t: string) => schema.dataSource(t)],
  ] as const) {
    for (const [type, byName] of Object.entries(parsed[kind] ?? {})) {
      const block = lookup(type);
      for (const [name, bodies] of Object.entries(byName)) {
        const address = `${kind}.${type}.${name}`;
        if (!block) {
          const what = kind === 'resource' ? 'resource type' : 'data source';
          problems.push({ kind: 'unknown-type', file, address, path: '', message: `unknown ${what} "${type}"` });
          continue;
        }
        for (const body of bodies) checkBody(body, block, { file, address, path: [], problems, meta: 'resource' });
      }
    }
  }
  for (const [name, bodies] of Object.entries(parsed.provider ?? {})) {
    const block = schema.provider(name);
    const address = `provider.${name}`;
    if (!block) {
      problems.push({ kind: 'unknown-type', file, address, path: '', message: `unknown provider "${name}"` });
      continue;
    }
    for (const body of bodies) checkBody(body, block, { file, address, path: [], problems, meta: 'provider' });
  }
  return problems.sort((a, b) => compare(a.address, b.address) || compare(a.path, b.path));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

interface Context {
  file: string;
  address: string;
  path: string[];
  problems: SchemaProblem[];
  /** Which meta-arguments the outermost body may carry; nested blocks take none. */
  meta: 'resource' | 'provider' | 'none';
}

function checkBody(body: HclBody, block: SchemaBlock, ctx: Context): void {
  const attributes = block.attributes ?? {};
  const blockTypes = block.block_types ?? {};
  const report = (kind: SchemaProblemKind, path: string[], message: string): void => {
    ctx.problems.push({ kind, file: ctx.file, address: ctx.address, path: path.join('.'), message });
  };
  const dynamicCounts = new Map<string, number>();

  for (const [key, value] of Object.entries(body)) {
    const path = [...ctx.path, key];
    if (ctx.meta === 'resource' && (META_ARGUMENTS.has(key) || META_BLOCKS.has(key))) continue;
    if (ctx.meta === 'provider' && PROVIDER_META.has(key)) continue;
    if (key === 'dynamic') {
      for (const [name, generators] of Object.entries(asObject(value))) {
        const blockType = blockTypes[name];
        if (!blockType) {
          report('unknown-block', [...ctx.path, name], `unknown block "${name}" (in a dynamic block)`);
          continue;
        }
        for (const generator of asBodies(generators)) {
          dynamicCounts.set(name, (dynamicCounts.get(name) ?? 0) + 1);
          for (const content of asBodies(generator.content)) {
            checkBody(content, blockType.block, { ...ctx, path: [...ctx.path, name], meta: 'none' });
          }
        }
      }
      continue;
    }
    const attribute = attributes[key];
    if (attribute) {
      if (attribute.computed && !attribute.optional && !attribute.required) {
        report('computed-argument', path, `"${key}" is set by the provider and cannot be written`);
      } else if (!fitsType(value, attribute.type)) {
        report('wrong-shape', path, `"${key}" expects ${describeType(attribute.type)}`);
      }
      continue;
    }
    const blockType = blockTypes[key];
    if (blockType) {
      if (!looksLikeBlocks(value)) {
        report('wrong-shape', path, `"${key}" is a block: write ${key} { ... }, not ${key} = ...`);
        continue;
      }
      const bodies = asBodies(value);
      if (blockType.max_items !== undefined && bodies.length > blockType.max_items) {
        report(
          'too-many-blocks',
          path,
          `at most ${blockType.max_items} "${key}" block${blockType.max_items === 1 ? '' : 's'} allowed, found ${bodies.length}`,
        );
      }
      for (const nested of bodies) checkBody(nested, blockType.block, { ...ctx, path, meta: 'none' });
      continue;
    }
    if (looksLikeBlocks(value)) report('unknown-block', path, `unknown block "${key}"`);
    else report('unknown-argument', path, `unknown argument "${key}"`);
  }

  for (const [name, attribute] of Object.entries(attributes)) {
    if (attribute.required && !(name in body)) report('missing-argument', [...ctx.path, name], `missing required argument "${name}"`);
  }
  for (const [name, blockType] of Object.entries(blockTypes)) {
    const min = blockType.min_items ?? 0;
    if (min === 0 || dynamicCounts.has(name)) continue;
    const count = name in body && looksLikeBlocks(body[name]) ? asBodies(body[name]).length : 0;
    if (count < min) report('missing-block', [...ctx.path, name], `missing required block "${name}"${min > 1 ? ` (at least ${min})` : ''}`);
  }
}

/** hcl2json writes every block as a list of objects. */
function looksLikeBlocks(value: unknown): boolean {
  return Array.isArray(value) && value.length > 0 && value.every(isPlainObject);
}

function asBodies(value: unknown): HclBody[] {
  return Array.isArray(value) ? value.filter(isPlainObject) : isPlainObject(value) ? [value] : [];
}

function asObject(value: unknown): Record<string, unknown> {
  return isPlainObject(value) ? value : {};
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** An expression (`${...}` in hcl2json) may be anything until Terraform evaluates it. */
function isExpression(value: unknown): boolean {
  return typeof value === 'string' && value.startsWith('${') && value.endsWith('}');
}

/** A shallow check of literal values against a cty type: enough to catch a block written as an argument. */
function fitsType(value: unknown, type: unknown): boolean {
  if (type === undefined || isExpression(value) || value === null) return true;
  if (type === 'string' || type === 'number' || type === 'bool') return ['string', 'number', 'boolean'].includes(typeof value);
  if (type === 'dynamic') return true;
  if (Array.isArray(type)) {
    const kind = type[0];
    if (kind === 'list' || kind === 'set' || kind === 'tuple') return Array.isArray(value);
    if (kind === 'map' || kind === 'object') return isPlainObject(value);
  }
  return true;
}

function describeType(type: unknown): string {
  if (typeof type === 'string') return `a ${type}`;
  if (Array.isArray(type)) return `a ${String(type[0])}`;
  return 'another type';
}
