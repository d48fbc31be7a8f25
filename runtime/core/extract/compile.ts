// An `extract` block compiled once per collector. Selectors, JMESPath expressions, regexes and
// options are prepared here, so a page costs only the walk over its DOM or JSON.
//
// A string field is a selector on HTML pages and a JMESPath on JSON pages, and `parse: auto`
// decides per response, so each kind is compiled on its first page (or at once when `parse`
// names it). The validator checks selectors and expressions before any run.

import type { AnyNode } from 'domhandler';
import type { Field } from '../../language/generated/collector.types.ts';
import { TooManyItemsError } from './errors.ts';
import { normaliseFields, type FieldSpec } from './field-spec.ts';
import { compileHtmlFields, selectorFor } from './html-fields.ts';
import { asList, compileJsonFields, queryFor } from './json-fields.ts';
import { buildObject, type Env, type FieldReader } from './record.ts';
import { pageBase, resolveLink } from './url.ts';
import type {
  CompiledExtractor,
  DataRecord,
  ExtractContext,
  ExtractionError,
  ExtractorOptions,
  LinkOption,
  PageExtraction,
  ParsedPage,
} from './types.ts';

export type { CompiledExtractor, ExtractorOptions } from './types.ts';

export interface ExtractBlock {
  items?: string;
  fields: Record<string, Field>;
}

type HtmlPage = Extract<ParsedPage, { kind: 'html' }>;
type JsonPage = Extract<ParsedPage, { kind: 'json' }>;
type Runner<P extends ParsedPage> = (page: P, ctx: ExtractContext) => PageExtraction;

/** Throws an ExtractConfigError when a field, selector, expression or option cannot work. */
export function compileExtractor(extract: ExtractBlock, options: ExtractorOptions = {}): CompiledExtractor {
  const specs = normaliseFields(extract.fields);
  let html: Runner<HtmlPage> | undefined;
  let json: Runner<JsonPage> | undefined;
  const maxItems = options.maxItems ?? Number.POSITIVE_INFINITY;
  const htmlRunner = () => (html ??= compileHtml(extract.items, specs, options.link, maxItems));
  const jsonRunner = () => (json ??= compileJson(extract.items, specs, maxItems));
  if (options.parse === 'html') htmlRunner();
  if (options.parse === 'json') jsonRunner();
  return {
    extract: (page, ctx) => (page.kind === 'html' ? htmlRunner()(page, ctx) : jsonRunner()(page, ctx)),
  };
}

function compileHtml(items: string | undefined, specs: FieldSpec[], link: LinkOption | undefined, maxItems: number): Runner<HtmlPage> {
  const itemSel = items !== undefined ? selectorFor(items, false, 'items') : undefined;
  // Page-level fields (no `items`) select from the document; item fields from their item.
  const readers = compileHtmlFields(specs, itemSel !== undefined);
  const linkSel = link ? selectorFor(link.selector, itemSel !== undefined, 'follow.selector') : undefined;
  const linkAttr = link?.attribute.toLowerCase() ?? 'href';
  return (page, ctx) => {
    const $ = page.doc;
    const root = $.root()[0]!;
    const scopes: AnyNode[] = itemSel ? itemSel.all(root, $) : [root];
    countItems(page, scopes.length, maxItems);
    const links: (string | undefined)[] = [];
    const out = run(readers, scopes, newEnv(page, $, ctx), (scope) => {
      if (!linkSel) return;
      const el = linkSel.one(scope, $);
      links.push(el ? resolveLink(page, el.attribs[linkAttr]) : undefined);
    });
    return { ...out, links };
  };
}

function compileJson(items: string | undefined, specs: FieldSpec[], maxItems: number): Runner<JsonPage> {
  const itemQuery = items !== undefined ? queryFor(items, 'items') : undefined;
  const readers = compileJsonFields(specs);
  return (page, ctx) => {
    const scopes = itemQuery ? asList(itemQuery(page.data)) : page.data === null ? [] : [page.data];
    countItems(page, scopes.length, maxItems);
    return { ...run(readers, scopes, newEnv(page, undefined, ctx)), links: [] };
  };
}

/** Items are counted before any is read: a page with a million of them costs its parse, not a million records. */
function countItems(page: ParsedPage, items: number, maxItems: number): void {
  if (items > maxItems) throw new TooManyItemsError(page.url, items, maxItems);
}

function newEnv(page: ParsedPage, $: Env['$'], ctx: ExtractContext): Env {
  return { page, $, ctx, base: () => pageBase(page), problem: undefined, failure: undefined };
}

/** One record per scope; `kept` runs for each scope whose record is kept, to align links. */
function run<S>(
  readers: FieldReader<S>[],
  scopes: readonly S[],
  env: Env,
  kept?: (scope: S) => void,
): { records: DataRecord[]; errors: ExtractionError[] } {
  const records: DataRecord[] = [];
  const errors: ExtractionError[] = [];
  for (let i = 0; i < scopes.length; i++) {
    const scope = scopes[i]!;
    const record = buildObject(readers, scope, env);
    if (record) {
      records.push(record);
      kept?.(scope);
    } else {
      const why = env.failure ?? { field: '', message: 'no value' };
      errors.push({ field: why.field, message: why.message, item: i });
    }
  }
  return { records, errors };
}
