// An `extract` block compiled once per collector. Selectors, XPath and JMESPath expressions,
// regexes and options are prepared here, so a page costs only the walk over its DOM or data.
//
// A string field is a selector on HTML and XML pages, a JMESPath on JSON pages and a column on
// CSV pages, and `parse: auto` decides per response, so each kind is compiled on its first page
// (or at once when `parse` names it). The validator checks selectors and expressions before any run.
//
// The kinds of page and how their items are found:
//   html, xml  CSS `items` (each may take its following siblings: `itemUntil`, `itemSiblings`)
//   xml        XPath `items` (starting with `/`): fields are XPath, relative to each item node
//   json       JMESPath `items`
//   csv        every row, or the rows a JMESPath `items` picks from the list of rows
//   embedded   html or xml whose data is the JSON it embeds (`embedded`), then as json

import type { AnyNode } from 'domhandler';
import type { Extract as ExtractSpec, Field } from '../../language/generated/collector.types.ts';
import { parseCsv, rowObjects } from './csv.ts';
import { ExtractConfigError, TooManyItemsError } from './errors.ts';
import { normaliseFields, type FieldSpec } from './field-spec.ts';
import { fieldCompilers as c } from './field-compilers.ts';
import { type HtmlReader, selectorFor } from './html-fields.ts';
import { itemGroups, type GroupRule } from './item-group.ts';
import { asList, queryFor } from './jmespath.ts';
import { buildObject, type Env, type FieldReader } from './record.ts';
import { pageBase, resolveLink } from './url.ts';
import { usesXPath, xpathFor, type XPathReader } from './xpath-fields.ts';
import { isXmlElement, xmlDocument, type XmlNode } from './xpath.ts';
import { isXPathSyntax } from './field-spec.ts';
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

/** An `extract` block as the schema defines it (collector.types.ts): the one place its shape is written. */
export type ExtractBlock = ExtractSpec;

type HtmlPage = Extract<ParsedPage, { kind: 'html' }>;
type JsonPage = Extract<ParsedPage, { kind: 'json' }>;
type XmlPage = Extract<ParsedPage, { kind: 'xml' }>;
type CsvPage = Extract<ParsedPage, { kind: 'csv' }>;
type MarkupPage = HtmlPage | XmlPage;
/** `base`: what `type: url` resolves against, when the page read is not the response (CSV rows, embedded data). */
type Runner<P extends ParsedPage> = (page: P, ctx: ExtractContext, base?: () => string) => PageExtraction;

/** Throws an ExtractConfigError when a field, selector, expression or option cannot work. */
export function compileExtractor(extract: ExtractBlock, options: ExtractorOptions = {}): CompiledExtractor {
  const specs = normaliseFields(extract.fields);
  const maxItems = options.maxItems ?? Number.POSITIVE_INFINITY;
  let html: Runner<HtmlPage> | undefined;
  let xml: Runner<XmlPage> | undefined;
  let json: Runner<JsonPage> | undefined;
  let csv: Runner<CsvPage> | undefined;
  const runners = {
    html: () => (html ??= compileMarkupKind(extract, specs, options.link, maxItems, false)),
    xml: () => (xml ??= compileMarkupKind(extract, specs, options.link, maxItems, true)),
    json: () => (json ??= compileJson(extract.items, specs, maxItems)),
    csv: () => (csv ??= compileCsv(extract, specs, maxItems)),
  };
  const parse = options.parse;
  if (parse === 'html' || parse === 'xml' || parse === 'json') runners[parse]();
  if (parse === 'csv' || parse === 'tsv') runners.csv();
  return {
    extract(page, ctx) {
      switch (page.kind) {
        case 'html':
          return runners.html()(page, ctx);
        case 'xml':
          return runners.xml()(page, ctx);
        case 'csv':
          return runners.csv()(page, ctx);
        default:
          return runners.json()(page, ctx);
      }
    },
  };
}

/** An HTML or XML page: its embedded data, its XPath items, or its CSS items. */
function compileMarkupKind(
  extract: ExtractBlock,
  specs: FieldSpec[],
  link: LinkOption | undefined,
  maxItems: number,
  xml: boolean,
): Runner<MarkupPage> {
  if (extract.embedded) return compileEmbedded(extract, specs, link, maxItems, xml);
  if (xml && extract.items !== undefined && isXPathSyntax(extract.items)) {
    const run = compileXPathItems(extract, specs, link, maxItems);
    return (page, ctx) => run(page as XmlPage, ctx);
  }
  return compileMarkup(extract, specs, link, maxItems, xml);
}

function compileMarkup(
  extract: ExtractBlock,
  specs: FieldSpec[],
  link: LinkOption | undefined,
  maxItems: number,
  xml: boolean,
): Runner<MarkupPage> {
  const { items } = extract;
  const itemSel = items !== undefined ? selectorFor(items, false, 'items', xml) : undefined;
  const rule = groupRule(extract, xml);
  // Page-level fields (no `items`) select from the document; item fields from their item.
  const readers = compileMarkupFields(specs, itemSel !== undefined, xml);
  const linkSel = link ? selectorFor(link.selector, itemSel !== undefined, 'follow.selector', xml) : undefined;
  // HTML attribute names are lower case once parsed; XML ones keep their case.
  const linkAttr = link ? (xml ? link.attribute : link.attribute.toLowerCase()) : 'href';
  return (page, ctx) => {
    const $ = page.doc;
    const root = $.root()[0]!;
    const matched: AnyNode[] = itemSel ? itemSel.all(root, $) : [root];
    countItems(page, matched.length, maxItems);
    const scopes = rule && itemSel ? itemGroups(matched as Parameters<typeof itemGroups>[0], rule) : matched;
    const links: (string | undefined)[] = [];
    const env = newEnv(page, $, ctx);
    const out = run(readers, scopes, env, (scope) => {
      if (!linkSel) return;
      const el = linkSel.one(scope, $);
      links.push(el ? resolveLink(page, el.attribs[linkAttr]) : undefined);
    });
    return finished(out, links, env);
  };
}

/** `itemUntil` and `itemSiblings`: an item is its element and siblings after it. */
function groupRule(extract: ExtractBlock, xml: boolean): GroupRule | undefined {
  const { itemUntil, itemSiblings } = extract;
  if (itemUntil === undefined && itemSiblings === undefined) return undefined;
  const option = itemUntil !== undefined ? 'itemUntil' : 'itemSiblings';
  if (extract.items === undefined) throw new ExtractConfigError(option, 'needs `items` (the first element of each item)');
  return {
    ...(itemUntil !== undefined ? { until: selectorFor(itemUntil, false, 'itemUntil', xml) } : {}),
    ...(itemSiblings !== undefined ? { siblings: itemSiblings } : {}),
  };
}

/**
 * CSS fields on an HTML or XML page; on XML, XPath fields too where they do not need to be
 * relative to a CSS item (page-level fields, `from: page`): they read the XPath document.
 */
function compileMarkupFields(specs: FieldSpec[], scoped: boolean, xml: boolean): HtmlReader[] {
  return specs.map((spec) => {
    if (xml && !spec.context && usesXPath(spec, false) && (!scoped || spec.from === 'page')) {
      const [reader] = c.xpath([spec]);
      return { spec, read: (_scope, env) => reader!.read(xmlDocument(env.page as XmlPage), env) };
    }
    return c.html([spec], scoped, xml)[0]!;
  });
}

/** XPath items on an XML page: each item node is read by XPath fields (CSS only from the page). */
function compileXPathItems(extract: ExtractBlock, specs: FieldSpec[], link: LinkOption | undefined, maxItems: number): Runner<XmlPage> {
  if (extract.itemUntil !== undefined || extract.itemSiblings !== undefined) {
    throw new ExtractConfigError(
      extract.itemUntil !== undefined ? 'itemUntil' : 'itemSiblings',
      'needs CSS `items`; with XPath use its axes',
    );
  }
  if (link) throw new ExtractConfigError('follow.selector', 'reads an element of a CSS item; with XPath items use follow.field');
  const items = xpathFor(extract.items!, 'items');
  const readers: XPathReader[] = specs.map((spec) => {
    if (!spec.context && !usesXPath(spec, true) && spec.from === 'page') {
      const [reader] = c.html([spec], false, true);
      return { spec, read: (_scope, env) => reader!.read(env.$!.root()[0]!, env) };
    }
    return c.xpath([spec])[0]!;
  });
  return (page, ctx) => {
    const found = items(xmlDocument(page), page);
    const nodes: XmlNode[] = 'nodes' in found ? found.nodes.filter(isXmlElement) : [];
    countItems(page, nodes.length, maxItems);
    const env = newEnv(page, page.doc, ctx);
    return finished(run(readers, nodes, env), [], env);
  };
}

/** `embedded`: the JSON an HTML or XML page carries becomes the page's data, read as a JSON page. */
function compileEmbedded(
  extract: ExtractBlock,
  specs: FieldSpec[],
  link: LinkOption | undefined,
  maxItems: number,
  xml: boolean,
): Runner<MarkupPage> {
  if (link) throw new ExtractConfigError('follow.selector', 'reads an element of an item; with `embedded` use follow.field');
  const { selector, regex, json, jsonld } = extract.embedded!;
  if ((json === undefined || json === false) && (jsonld === undefined || jsonld === false)) {
    throw new ExtractConfigError('embedded', 'set `json` (true or a JavaScript name) or `jsonld`');
  }
  const field: Field = {
    from: 'page',
    ...(selector !== undefined ? { selector } : {}),
    ...(regex !== undefined ? { regex } : {}),
    ...(json !== undefined ? { json } : {}),
    ...(jsonld !== undefined ? { jsonld } : {}),
  };
  const [source] = c.html(normaliseFields({ embedded: field }, 'extract'), false, xml);
  const data = compileJson(extract.items, specs, maxItems);
  return (page, ctx) => {
    const env = newEnv(page, page.doc, ctx);
    const value = source!.read(page.doc.root()[0]!, env);
    const out = data({ kind: 'json', url: page.url, data: value }, ctx, () => pageBase(page));
    const warnings = [...env.warnings, ...(out.warnings ?? [])];
    return { ...out, ...(warnings.length ? { warnings } : {}) };
  };
}

function compileJson(items: string | undefined, specs: FieldSpec[], maxItems: number): Runner<JsonPage> {
  const itemQuery = items !== undefined ? queryFor(items, 'items') : undefined;
  const readers = c.json(specs, 'json');
  return (page, ctx, base) => {
    const scopes = itemQuery ? asList(itemQuery(page.data)) : page.data === null ? [] : [page.data];
    countItems(page, scopes.length, maxItems);
    const env = newEnv(page, undefined, ctx, base);
    return finished(run(readers, scopes, env), [], env);
  };
}

/** CSV rows: every row is an item, or those a JMESPath `items` picks from the list of rows. */
function compileCsv(extract: ExtractBlock, specs: FieldSpec[], maxItems: number): Runner<CsvPage> {
  const itemQuery = extract.items !== undefined ? queryFor(extract.items, 'items') : undefined;
  const readers = c.json(specs, 'csv');
  const { delimiter } = extract;
  return (page, ctx) => {
    const table = delimiter !== undefined && delimiter !== page.delimiter ? parseCsv(page.text, page.url, delimiter) : page.table;
    // Counted before a row is made an object, unless `items` may pick fewer.
    if (!itemQuery) countItems(page, table.rows.length, maxItems);
    const rows = rowObjects(table);
    const scopes = itemQuery ? asList(itemQuery(rows)) : rows;
    if (itemQuery) countItems(page, scopes.length, maxItems);
    const env = newEnv({ kind: 'json', url: page.url, data: rows }, undefined, ctx, () => page.url);
    return finished(run(readers, scopes, env), [], env);
  };
}

/** Items are counted before any is read: a page with a million of them costs its parse, not a million records. */
function countItems(page: ParsedPage, items: number, maxItems: number): void {
  if (items > maxItems) throw new TooManyItemsError(page.url, items, maxItems);
}

type PageEnv = Env & { warnings: string[] };

function newEnv(page: ParsedPage, $: Env['$'], ctx: ExtractContext, base?: () => string): PageEnv {
  const warnings: string[] = [];
  return {
    page,
    $,
    ctx,
    base: base ?? (() => pageBase(page)),
    problem: undefined,
    failure: undefined,
    warnings,
    warn: (message) => {
      if (!warnings.includes(message)) warnings.push(message);
    },
  };
}

function finished(out: { records: DataRecord[]; errors: ExtractionError[] }, links: (string | undefined)[], env: PageEnv): PageExtraction {
  return { ...out, links, ...(env.warnings.length ? { warnings: env.warnings } : {}) };
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
