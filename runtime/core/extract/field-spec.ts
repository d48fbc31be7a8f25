// A `fields:` block checked and normalised once: regexes compiled, defaults checked, conversions
// chosen. Readers for HTML and JSON are built from these specs.

import type { Field } from '../../language/generated/collector.types.ts';
import { converterFor, type Converter, type FieldType } from './convert.ts';
import { ExtractConfigError, fieldLabel } from './errors.ts';
import { compileRegex } from './regex.ts';
import type { ExtractContext, RecordValue } from './types.ts';

export interface FieldSpec {
  name: string;
  /** Dotted position in the record, for messages ("details.upc"). */
  path: string;
  /** The string shorthand: a selector or a JMESPath, depending on the page. */
  shorthand?: string;
  selector?: string;
  jsonPath?: string;
  context?: (ctx: ExtractContext) => string | null;
  /** XPath (XML): the `xpath` option, or a `selector` written as XPath (starting with `/`). */
  xpath?: string;
  /** A CSV column by header name or 1-based position. */
  column?: string | number;
  /** `page`: read from the page rather than the item. */
  from?: 'page';
  closest?: string;
  previous?: string;
  next?: string;
  /** Read the text as JSON: `true`, or the JavaScript name it is assigned to. */
  json?: true | string;
  /** Read the JSON-LD nodes: `true` for all, or a `@type`. */
  jsonld?: true | string;
  /** As written; HTML readers lower-case it (htmlparser2 lower-cases HTML attribute names), XML keeps case. */
  attr?: string;
  html: boolean;
  list: boolean;
  regex?: RegExp;
  map?: Map<string, RecordValue>;
  convert?: Converter;
  type?: FieldType;
  /** Undefined means the source's default: normalised for HTML and context values, kept for JSON. */
  whitespace?: 'normalize' | 'keep';
  fallback?: RecordValue;
  required: boolean;
  fields?: FieldSpec[];
}

export function normaliseFields(fields: Record<string, Field>, prefix = ''): FieldSpec[] {
  return Object.entries(fields).map(([name, field]) => normaliseField(name, field, prefix ? `${prefix}.${name}` : name));
}

function normaliseField(name: string, field: Field, path: string): FieldSpec {
  if (typeof field === 'string') return { name, path, shorthand: field, html: false, list: false, required: false };
  const spec: FieldSpec = { name, path, html: field.html === true, list: field.list === true, required: field.required === true };
  if (field.selector !== undefined) {
    if (isXPathSyntax(field.selector)) spec.xpath = field.selector;
    else spec.selector = field.selector;
  }
  if (field.xpath !== undefined) spec.xpath = field.xpath;
  if (field.path !== undefined) spec.jsonPath = field.path;
  if (field.context !== undefined) spec.context = contextGetter(field.context, path);
  if (field.attr !== undefined) spec.attr = field.attr;
  if (field.column !== undefined) spec.column = field.column;
  if (field.from === 'page') spec.from = 'page';
  if (field.closest !== undefined) spec.closest = field.closest;
  if (field.previous !== undefined) spec.previous = field.previous;
  if (field.next !== undefined) spec.next = field.next;
  if (field.json !== undefined && field.json !== false) spec.json = field.json;
  if (field.jsonld !== undefined && field.jsonld !== false) spec.jsonld = field.jsonld;
  if (spec.json !== undefined && spec.jsonld !== undefined)
    throw new ExtractConfigError(fieldLabel(path), 'set only one of `json` and `jsonld`');
  if (field.whitespace !== undefined) spec.whitespace = field.whitespace;
  if (field.regex !== undefined) {
    try {
      spec.regex = compileRegex(field.regex);
    } catch (e) {
      throw new ExtractConfigError(fieldLabel(path), `invalid regex: ${(e as Error).message}`);
    }
  }
  if (field.map !== undefined) spec.map = new Map(Object.entries(field.map));
  if (field.type !== undefined) {
    spec.type = field.type;
    try {
      spec.convert = converterFor(field.type, {
        ...(field.format !== undefined ? { format: field.format } : {}),
        ...(field.timezone !== undefined ? { timezone: field.timezone } : {}),
      });
    } catch (e) {
      throw new ExtractConfigError(fieldLabel(path), (e as Error).message);
    }
  }
  if (field.default !== undefined) {
    if (!isRecordValue(field.default))
      throw new ExtractConfigError(fieldLabel(path), '`default` must be plain JSON (string, number, boolean, null, list or object)');
    spec.fallback = field.default;
  }
  if (field.fields !== undefined) spec.fields = normaliseFields(field.fields, path);
  return spec;
}

/** XPath rather than CSS: `/…`, `./…` and `../…` are never CSS selectors. */
export function isXPathSyntax(text: string): boolean {
  return /^\s*\.{0,2}\//.test(text);
}

function contextGetter(key: string, path: string): (ctx: ExtractContext) => string | null {
  if (key.startsWith('var.')) {
    const name = key.slice(4);
    return (ctx) => (Object.hasOwn(ctx.vars, name) ? (ctx.vars[name] ?? null) : null);
  }
  switch (key) {
    case 'url':
      return (ctx) => ctx.url;
    case 'fetchedAt':
      return (ctx) => ctx.fetchedAt;
    case 'runId':
      return (ctx) => ctx.runId;
    case 'collector':
      return (ctx) => ctx.collector;
    case 'taskId':
      return (ctx) => ctx.taskId;
    default:
      throw new ExtractConfigError(fieldLabel(path), `unknown context "${key}" (url, fetchedAt, runId, collector, taskId or var.NAME)`);
  }
}

function isRecordValue(v: unknown): v is RecordValue {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return true;
  if (typeof v === 'number') return Number.isFinite(v);
  if (Array.isArray(v)) return v.every(isRecordValue);
  if (typeof v === 'object') {
    const proto = Object.getPrototypeOf(v) as unknown;
    return (proto === Object.prototype || proto === null) && Object.values(v).every(isRecordValue);
  }
  return false;
}
