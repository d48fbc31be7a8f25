// Schema defaults, applied in one place. Every `default` of a JSON Schema is
// filled into a value that the schema already accepted: a property that is
// missing gets its default (objects with `default: {}` are created and then
// filled in turn), branches of a `oneOf` are chosen by their discriminator, and
// `$ref`s are followed. ajv's `useDefaults` skips `oneOf` branches, which is
// where the pagination strategies live, hence this walker.

export interface SchemaNode {
  $ref?: string;
  type?: string | string[];
  default?: unknown;
  properties?: Record<string, SchemaNode>;
  additionalProperties?: boolean | SchemaNode;
  items?: SchemaNode;
  oneOf?: SchemaNode[];
  discriminator?: { propertyName: string };
  const?: unknown;
  required?: string[];
  title?: string;
  [keyword: string]: unknown;
}

/** Follows a local `$ref` (`#/$defs/field`, `#/properties/follow`) to its schema. */
export function deref(root: SchemaNode, node: SchemaNode): SchemaNode {
  let at = node;
  for (let hops = 0; at.$ref !== undefined; hops++) {
    if (hops > 32 || !at.$ref.startsWith('#/')) throw new Error(`unsupported $ref ${at.$ref}`);
    let target: unknown = root;
    for (const part of at.$ref.slice(2).split('/'))
      target = (target as Record<string, unknown>)[decodeURIComponent(part.replace(/~1/g, '/').replace(/~0/g, '~'))];
    if (target === undefined) throw new Error(`$ref ${at.$ref} points at nothing`);
    at = target as SchemaNode;
  }
  return at;
}

/** The `oneOf` branch a value belongs to, by its discriminator property. */
function branchOf(root: SchemaNode, node: SchemaNode, value: unknown): SchemaNode | undefined {
  const key = node.discriminator?.propertyName;
  if (!node.oneOf || key === undefined || !isObject(value)) return undefined;
  return node.oneOf.map((b) => deref(root, b)).find((b) => b.properties?.[key]?.const === value[key]);
}

/** A copy of `value` with every default of `node` filled in; `value` is left as it is. */
export function withDefaults<T>(root: SchemaNode, node: SchemaNode, value: T): T {
  return fill(root, node, structuredClone(value)) as T;
}

function fill(root: SchemaNode, at: SchemaNode, value: unknown): unknown {
  const node = deref(root, at);
  const branch = branchOf(root, node, value);
  if (isObject(value)) {
    const properties = { ...node.properties, ...branch?.properties };
    for (const [key, sub] of Object.entries(properties)) {
      const schema = deref(root, sub);
      if (value[key] === undefined && schema.default !== undefined) value[key] = structuredClone(schema.default);
      if (value[key] !== undefined) value[key] = fill(root, schema, value[key]);
    }
    const extra = branch?.additionalProperties ?? node.additionalProperties;
    if (typeof extra === 'object') {
      for (const key of Object.keys(value)) if (!(key in properties)) value[key] = fill(root, extra, value[key]);
    }
    return value;
  }
  if (Array.isArray(value) && node.items) return value.map((v) => fill(root, node.items!, v));
  return value;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
