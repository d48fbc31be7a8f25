// Checks a parsed collector against schemas/collector.schema.json and turns
// ajv's errors into one clear, positioned message per mistake.
import type { AnySchemaObject, ErrorObject } from 'ajv';
import schemaJson from '../../schemas/collector.schema.json' with { type: 'json' };
// Compiled ahead of time by `npm run generate:types` (runtime/tools/codegen/generate-validator.ts).
import validate from './generated/collector.validate.mjs';
import { parsePointer, type Issue, type PathSegment } from './issue.ts';
import { didYouMean } from './suggest.ts';

const collectorSchema = schemaJson as AnySchemaObject;

/** Problems of a plain value against the collector schema; empty when it conforms. */
export function validateSchema(value: unknown): Issue[] {
  if (validate(value)) return [];
  return describeErrors(validate.errors ?? [], value);
}

function describeErrors(errors: readonly ErrorObject[], root: unknown): Issue[] {
  // A value of the wrong type makes its other errors (enum, pattern) noise.
  const wrongType = new Set(errors.filter((e) => e.keyword === 'type').map((e) => e.instancePath));
  const issues: Issue[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    if (e.keyword !== 'type' && wrongType.has(e.instancePath) && e.propertyName === undefined) continue;
    if (!stands(e, errors)) continue;
    const issue = describe(e, instancePath(e.instancePath, root));
    const key = `${issue.path.join('\u0000')}\u0001${issue.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    issues.push(issue);
  }
  return issues;
}

/**
 * Errors that only summarise others. A discriminator error always comes with an
 * `enum`, `type` or `required` error on the tag; `propertyNames` with the failing
 * name's own error; `oneOf`/`anyOf` with the errors of their branches.
 */
function stands(e: ErrorObject, all: readonly ErrorObject[]): boolean {
  if (e.keyword === 'propertyNames') return false;
  if (e.keyword === 'discriminator' || e.keyword === 'oneOf' || e.keyword === 'anyOf') {
    return !all.some(
      (o) => o !== e && o.keyword !== e.keyword && (o.instancePath === e.instancePath || o.instancePath.startsWith(`${e.instancePath}/`)),
    );
  }
  return true;
}

type Params = Record<string, unknown>;

/** Pointer segments, with list indices as numbers (they print as `[0]`, keys print as `.key`). */
function instancePath(pointer: string, root: unknown): PathSegment[] {
  const path: PathSegment[] = [];
  let node = root;
  for (const seg of parsePointer(pointer)) {
    if (Array.isArray(node)) {
      path.push(Number(seg));
      node = node[Number(seg)];
    } else {
      path.push(seg);
      node = node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[seg] : undefined;
    }
  }
  return path;
}

function describe(e: ErrorObject, path: PathSegment[]): Issue {
  const parent = (e.parentSchema ?? {}) as AnySchemaObject;
  const params = e.params as Params;
  switch (e.keyword) {
    case 'additionalProperties': {
      const name = String(params.additionalProperty);
      const allowed = Object.keys((parent.properties ?? {}) as object);
      const elsewhere = paginationOwners(path, name);
      const hint = didYouMean(name, allowed) ?? elsewhere ?? (allowed.length > 0 ? `allowed: ${allowed.join(', ')}` : undefined);
      return withHint({ path: [...path, name], at: 'key', message: `unknown option "${name}"` }, hint);
    }
    case 'required': {
      const name = String(params.missingProperty);
      const prop = (parent.properties as Record<string, AnySchemaObject> | undefined)?.[name];
      return withHint(
        { path: [...path, name], at: 'container', message: `missing required option "${name}"` },
        prop ? exampleHint(prop, name) : undefined,
      );
    }
    case 'type': {
      const expected = ([] as string[]).concat(params.type as string | string[]);
      const names = expected.length === 1 && expected[0] === 'boolean' ? ['true or false'] : expected.map(typeName);
      return withHint({ path, message: `expected ${joinOr(names)}, got ${describeValue(e.data)}` }, exampleHint(parent));
    }
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).map(String);
      return withHint(
        { path, message: `${describeValue(e.data)} is not one of: ${allowed.join(', ')}` },
        didYouMean(String(e.data), allowed),
      );
    }
    case 'const':
      return { path, message: `must be ${JSON.stringify(params.allowedValue)}` };
    case 'pattern':
      return describePattern(e, path, String(params.pattern));
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return {
        path,
        message: `must be ${comparisonText(String(params.comparison))} ${String(params.limit)}, got ${describeValue(e.data)}`,
      };
    case 'minItems': {
      const n = Number(params.limit);
      return withHint({ path, message: `must list at least ${n} ${n === 1 ? 'item' : 'items'}` }, exampleHint(parent));
    }
    case 'maxItems':
      return { path, message: `must list at most ${String(params.limit)} items` };
    case 'minProperties':
    case 'maxProperties':
      return describeCount(e, path, parent);
    case 'uniqueItems': {
      const i = Number(params.i);
      const j = Number(params.j);
      const later = Math.max(i, j);
      return {
        path: [...path, later],
        message: `duplicate item ${describeValue((e.data as unknown[])[later])}`,
        hint: `the same as item ${Math.min(i, j)}`,
      };
    }
    case 'discriminator': {
      const strategies = ((parent.oneOf ?? []) as AnySchemaObject[])
        .map((b) => (b.properties as Record<string, AnySchemaObject>)?.[String(params.tag)]?.const)
        .filter((v) => v !== undefined);
      return { path: [...path, String(params.tag)], message: `"${String(params.tag)}" must be one of: ${strategies.join(', ')}` };
    }
    default:
      return { path, message: e.message ?? `fails ${e.keyword}` };
  }
}

function withHint(issue: Issue, hint: string | undefined): Issue {
  return hint ? { ...issue, hint } : issue;
}

/** Pagination options belong to one strategy each; say which when one is used with another. */
function paginationOwners(path: readonly PathSegment[], name: string): string | undefined {
  if (path.length !== 1 || path[0] !== 'paginate') return undefined;
  const branches = ((collectorSchema.properties as Record<string, AnySchemaObject>).paginate!.oneOf ?? []) as AnySchemaObject[];
  const owners = branches
    .filter((b) => name in ((b.properties ?? {}) as object))
    .map((b) => String((b.properties as Record<string, AnySchemaObject>).type!.const));
  return owners.length > 0 ? `"${name}" is an option of ${joinOr(owners.map((o) => `type: ${o}`))}` : undefined;
}

function describeCount(e: ErrorObject, path: PathSegment[], parent: AnySchemaObject): Issue {
  const props = Object.keys((parent.properties ?? {}) as object);
  const limit = Number((e.params as Params).limit);
  const given = e.data && typeof e.data === 'object' ? Object.keys(e.data) : [];
  if (parent.minProperties === 1 && parent.maxProperties === 1 && props.length > 0) {
    const found = given.length > 0 ? `; found ${given.join(', ')}` : '';
    return { path, at: given.length > 0 ? 'value' : 'container', message: `set exactly one of: ${props.join(', ')}${found}` };
  }
  if (e.keyword === 'minProperties' && path[path.length - 1] === 'fields') return { path, message: 'define at least one field' };
  const what = e.keyword === 'minProperties' ? 'at least' : 'at most';
  return { path, message: `must have ${what} ${limit} ${limit === 1 ? 'entry' : 'entries'}` };
}

/** What each pattern of the schema means, in words. */
const PATTERNS: Record<string, (value: string) => { message: string; hint?: string }> = {
  '^[a-z0-9][a-z0-9-]{0,62}$': (v) => ({
    message: `"${v}" is not a valid collector name`,
    hint: 'lower-case letters, digits and dashes, starting with a letter or digit, at most 63 characters',
  }),
  '^s3://': (v) => ({ message: `"${v}" is not an S3 URI`, hint: 'write s3://bucket/prefix, e.g. s3://my-data-lake/raw/{{ name }}' }),
  '^[A-Za-z_][A-Za-z0-9_]*$': (v) => ({
    message: `"${v}" is not a valid name`,
    hint: 'start with a letter or _, then letters, digits or _',
  }),
  '^(url|fetchedAt|runId|collector|taskId|var\\.[A-Za-z_][A-Za-z0-9_]*)$': (v) => ({
    message: `"${v}" is not a context value`,
    hint: 'one of url, fetchedAt, runId, collector, taskId, var.NAME',
  }),
  '^[1-9][0-9]*[dwm]$': (v) => ({ message: `"${v}" is not a step`, hint: 'a number of days, weeks or months: 1d, 2w, 1m' }),
};

function describePattern(e: ErrorObject, path: PathSegment[], pattern: string): Issue {
  const explain = PATTERNS[pattern];
  if (e.propertyName !== undefined) {
    const name = e.propertyName;
    const text = explain?.(name) ?? { message: `"${name}" does not match ${pattern}` };
    return withHint({ path: [...path, name], at: 'key', message: text.message }, text.hint);
  }
  const value = String(e.data);
  const text = explain?.(value) ?? { message: `"${value}" does not match ${pattern}` };
  return withHint({ path, message: text.message }, text.hint);
}

function typeName(t: string): string {
  switch (t) {
    case 'object':
      return 'a mapping';
    case 'array':
      return 'a list';
    case 'boolean':
      return 'a boolean';
    case 'integer':
      return 'an integer';
    case 'null':
      return 'nothing';
    default:
      return `a ${t}`;
  }
}

function joinOr(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

function comparisonText(c: string): string {
  return { '>=': 'at least', '<=': 'at most', '>': 'greater than', '<': 'less than' }[c] ?? c;
}

/** A value as it appears in a message: short strings quoted, collections named. */
function describeValue(v: unknown): string {
  if (v === null || v === undefined) return 'an empty value';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return JSON.stringify(v.length > 60 ? `${v.slice(0, 57)}...` : v);
  return String(v);
}

/** `one of: …` for enums, else `e.g. name: value` from the schema's first example. */
function exampleHint(schema: AnySchemaObject, name?: string): string | undefined {
  if (Array.isArray(schema.enum)) return `one of: ${schema.enum.join(', ')}`;
  const example = Array.isArray(schema.examples) ? (schema.examples[0] as unknown) : undefined;
  if (example === undefined) return undefined;
  const text = JSON.stringify(example);
  if (text.length > 70) return undefined;
  return name ? `e.g. ${name}: ${text}` : `e.g. ${text}`;
}
