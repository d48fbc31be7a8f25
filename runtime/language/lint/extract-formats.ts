// Extraction options that suit only some kinds of page, and options that need one another:
// sibling items, relative fields, embedded JSON, XPath, CSV columns. What the schema cannot
// say: `itemUntil` without `items`, `xpath` on an HTML page, `closest` on a JSON page, an
// XPath that does not parse. (A CSV column name cannot be checked before a page is read.)
//
// It also tells lint/expressions.ts how a field is read where that is not the page's own
// language: inside XPath items, inside the data a `json` field read, in the HTML of a JSON value.
import { checkRegex, checkSelector, checkXPath } from '../../core/extract/check.ts';
import { isXPathSyntax } from '../../core/extract/field-spec.ts';
import type { Collector, Extract, Field, Follow, Parse } from '../generated/collector.types.ts';
import type { Issue, PathSegment } from '../issue.ts';
import { pageKinds } from '../page-kinds.ts';

type FieldObject = Exclude<Field, string>;
/** How a field's selectors and paths are read: CSS, XPath, JMESPath, or by the page's parse (undefined). */
export type Reading = 'css' | 'xpath' | 'json' | undefined;

const NOT_MARKUP = new Set<Parse>(['json', 'csv', 'tsv']);
const NOT_CSV = new Set<Parse>(['html', 'json', 'xml']);

interface Block {
  /** Where the extract block is: ['extract'], ['pages', NAME, 'extract'], [..., 'follow', 'extract']. */
  path: PathSegment[];
  parse: Parse;
  extract: Partial<Extract> & { fields: Record<string, Field> };
  /** The follow whose link is read from this block's items, and where it is. */
  follow?: { follow: Follow; path: PathSegment[] };
}

function* blocks(c: Collector): Generator<Block> {
  for (const kind of pageKinds(c)) {
    const parse = kind.parse ?? 'auto';
    if (kind.extract) {
      yield {
        path: [...kind.path, 'extract'],
        parse,
        extract: kind.extract,
        ...(kind.follow ? { follow: { follow: kind.follow, path: [...kind.path, 'follow'] } } : {}),
      };
    }
    const path = [...kind.path, 'follow'];
    for (let f = kind.follow; f; f = f.follow) {
      yield {
        path: [...path, 'extract'],
        parse: f.parse ?? 'auto',
        extract: f.extract,
        ...(f.follow ? { follow: { follow: f.follow, path: [...path, 'follow'] } } : {}),
      };
      path.push('follow');
    }
  }
}

function xpathItems(block: Block): boolean {
  const items = block.extract.items;
  return items !== undefined && isXPathSyntax(items) && (block.parse === 'xml' || block.parse === 'auto');
}

function isXPathField(f: FieldObject): boolean {
  return f.xpath !== undefined || (f.selector !== undefined && isXPathSyntax(f.selector));
}

/** The reading nested fields of `f` get from it, given the reading `f` itself is under. */
function readingInside(f: FieldObject, outer: Reading, parse: Parse): Reading {
  if ((f.json !== undefined && f.json !== false) || (f.jsonld !== undefined && f.jsonld !== false)) return 'json';
  if (isXPathField(f)) return 'xpath';
  const json = outer === 'json' || (outer === undefined && parse === 'json');
  if (json && f.selector !== undefined && f.path !== undefined) return 'css';
  return outer;
}

/**
 * How the field at `path` (from lint/walk.ts) is read when the page's parse does not say it:
 * 'xpath' inside XPath items, 'json' inside `embedded` data or a `json` field, 'css' in the HTML
 * of a JSON value; undefined where the page's parse decides.
 */
export function readingAt(c: Collector, path: readonly PathSegment[]): Reading {
  for (const block of blocks(c)) {
    const fieldsPath = [...block.path, 'fields'];
    if (path.length <= fieldsPath.length || !fieldsPath.every((seg, i) => path[i] === seg)) continue;
    let reading: Reading = block.extract.embedded ? 'json' : xpathItems(block) ? 'xpath' : undefined;
    let fields: Record<string, Field> | undefined = block.extract.fields;
    // path: ...fields, NAME, 'fields', NAME, 'fields', NAME
    for (let i = fieldsPath.length; i < path.length - 1; i += 2) {
      const f: Field | undefined = fields?.[String(path[i])];
      if (f === undefined || typeof f === 'string') return reading;
      reading = readingInside(f, reading, block.parse);
      fields = f.fields;
    }
    return reading;
  }
  return undefined;
}

export function lintExtractFormats(c: Collector): Issue[] {
  const issues: Issue[] = [];
  for (const block of blocks(c)) {
    issues.push(...lintBlock(block));
    const base: Reading = block.extract.embedded ? 'json' : xpathItems(block) ? 'xpath' : undefined;
    const scoped = block.extract.items !== undefined;
    for (const [name, field] of Object.entries(block.extract.fields ?? {})) {
      issues.push(...lintField(field, [...block.path, 'fields', name], block.parse, base, scoped));
    }
  }
  return issues;
}

function lintBlock(block: Block): Issue[] {
  const issues: Issue[] = [];
  const { extract, parse, path } = block;
  const at = (key: string): PathSegment[] => [...path, key];
  for (const key of ['itemUntil', 'itemSiblings'] as const) {
    if (extract[key] === undefined) continue;
    if (extract.items === undefined)
      issues.push({ path: at(key), at: 'key', message: `"${key}" needs "items"`, hint: 'items: the first element of each item' });
    else if (NOT_MARKUP.has(parse))
      issues.push({
        path: at(key),
        at: 'key',
        message: `"${key}" applies to HTML and XML pages; this page is parsed as ${parse}`,
        hint: 'remove it',
      });
    else if (xpathItems(block))
      issues.push({
        path: at(key),
        at: 'key',
        message: `"${key}" needs CSS items; these items are XPath`,
        hint: 'with XPath, take the siblings in the fields: following-sibling::*[1]',
      });
  }
  if (extract.itemUntil !== undefined) issues.push(...problem(checkSelector(extract.itemUntil), at('itemUntil')));
  if (extract.embedded !== undefined) issues.push(...lintEmbedded(block));
  if (extract.delimiter !== undefined && NOT_CSV.has(parse)) {
    issues.push({
      path: at('delimiter'),
      at: 'key',
      message: `"delimiter" applies to CSV pages; this page is parsed as ${parse}`,
      hint: 'remove it or set parse: csv',
    });
  }
  if (extract.items !== undefined && isXPathSyntax(extract.items) && (parse === 'xml' || parse === 'auto')) {
    issues.push(...problem(checkXPath(extract.items), at('items')));
  }
  const follow = block.follow;
  if (follow?.follow.selector !== undefined && (xpathItems(block) || extract.embedded !== undefined)) {
    issues.push({
      path: [...follow.path, 'selector'],
      at: 'key',
      message: `"follow.selector" reads an element of a CSS item; ${extract.embedded ? 'these records come from embedded JSON' : 'these items are XPath'}`,
      hint: 'use follow.field with a field that holds the link',
    });
  }
  return issues;
}

function lintEmbedded(block: Block): Issue[] {
  const e = block.extract.embedded!;
  const path = [...block.path, 'embedded'];
  const issues: Issue[] = [];
  if (NOT_MARKUP.has(block.parse)) {
    issues.push({
      path,
      at: 'key',
      message: `"embedded" reads JSON inside an HTML page; this page is parsed as ${block.parse}`,
      hint: 'remove it',
    });
  }
  const json = e.json !== undefined && e.json !== false;
  const jsonld = e.jsonld !== undefined && e.jsonld !== false;
  if (json === jsonld) {
    issues.push(
      json
        ? { path: [...path, 'jsonld'], at: 'key', message: 'set only one of json and jsonld' }
        : {
            path,
            at: 'container',
            message: 'embedded needs json or jsonld',
            hint: 'json: true (a script holding JSON) or a JavaScript name; jsonld: true or a type',
          },
    );
  }
  if (e.selector !== undefined) issues.push(...problem(checkSelector(e.selector), [...path, 'selector']));
  if (e.regex !== undefined) issues.push(...problem(checkRegex(e.regex), [...path, 'regex']));
  return issues;
}

function lintField(field: Field, path: PathSegment[], parse: Parse, reading: Reading, scoped: boolean): Issue[] {
  if (typeof field === 'string') return [];
  const issues: Issue[] = [];
  const key = (k: string, message: string, hint?: string) =>
    issues.push({ path: [...path, k], at: 'key', message, ...(hint ? { hint } : {}) });
  const markupOnly = reading === 'json' || (reading === undefined && NOT_MARKUP.has(parse));
  const pageParse = reading === 'json' ? 'data read as JSON' : `a page parsed as ${parse}`;

  if (isXPathField(field)) {
    const option = field.xpath !== undefined ? 'xpath' : 'selector';
    const expression = field.xpath ?? field.selector!;
    if (reading === 'json' || (reading === undefined && (parse === 'html' || NOT_MARKUP.has(parse)))) {
      key(option, `XPath applies to XML pages; this is ${pageParse}`, parse === 'html' ? 'use a CSS selector' : 'use path');
    } else {
      issues.push(...problem(checkXPath(expression), [...path, option]));
      if (reading !== 'xpath' && scoped && field.from !== 'page' && parse === 'xml') {
        key(
          option,
          'an XPath field reads XPath items (an items starting with /) or the page (from: page); these items are CSS',
          'write the items as XPath, or add from: page',
        );
      }
    }
  } else if (reading === 'xpath' && field.selector !== undefined && field.from !== 'page') {
    key('selector', 'CSS selectors do not read inside XPath items', 'write xpath: with a path relative to the item');
  }

  if (field.column !== undefined && (reading === 'json' || reading === 'xpath' || reading === 'css' || NOT_CSV.has(parse))) {
    key(
      'column',
      `"column" applies to CSV pages; this is ${reading === undefined ? `a page parsed as ${parse}` : 'not a CSV row'}`,
      'use path or selector',
    );
  }

  for (const option of ['closest', 'previous', 'next'] as const) {
    const value = field[option];
    if (value === undefined) continue;
    if (markupOnly) key(option, `"${option}" walks HTML or XML elements; this is ${pageParse}`, 'remove it');
    else if (reading === 'xpath') key(option, `"${option}" takes CSS; inside XPath items use XPath axes (ancestor::, preceding-sibling::)`);
    else if (field.from === 'page') key(option, `"${option}" walks from the item; with from: page there is none`, 'remove one of them');
    else issues.push(...problem(checkSelector(value), [...path, option]));
  }

  const json = field.json !== undefined && field.json !== false;
  const jsonld = field.jsonld !== undefined && field.jsonld !== false;
  if (json && jsonld) key('jsonld', 'set only one of json and jsonld');
  if (jsonld && markupOnly) key('jsonld', `"jsonld" reads <script> elements of an HTML page; this is ${pageParse}`, 'remove it');

  if (field.fields) {
    const inner = readingInside(field, reading, parse);
    for (const [name, f] of Object.entries(field.fields)) issues.push(...lintField(f, [...path, 'fields', name], parse, inner, true));
  }
  return issues;
}

function problem(message: string | undefined, path: PathSegment[]): Issue[] {
  return message === undefined ? [] : [{ path, message }];
}
