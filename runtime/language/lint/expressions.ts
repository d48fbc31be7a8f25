// CSS selectors, JMESPath expressions and regexes must compile, and each must
// suit the page it is used on: an HTML page is read with selectors, JSON with paths.
import { checkJmesPath, checkRegex, checkSelector, checkXPath } from '../../core/extract/check.ts';
import { lintPagination } from '../../core/paginate/registry.ts';
import { resolveCollector } from '../resolve.ts';
import type { Collector, Parse } from '../generated/collector.types.ts';
import type { Issue, PathSegment } from '../issue.ts';
import { isXPathSyntax } from '../../core/extract/field-spec.ts';
import { readingAt } from './extract-formats.ts';
import { checkTimeZone } from './timezone.ts';
import { allFields, eachFollow } from './walk.ts';

/** The language strings are read in: a page's parse, or what lint/extract-formats.ts says a field is read as. */
type Language = Parse | 'xpath';

export function lintExpressions(c: Collector): Issue[] {
  const issues: Issue[] = [];
  const parse = c.parse ?? 'auto';
  const items = c.extract?.items;
  // XPath items are checked with the other XML options (lint/extract-formats.ts); rows and embedded data are picked by JMESPath.
  const itemsLanguage: Language = c.extract?.embedded || parse === 'csv' || parse === 'tsv' ? 'json' : parse;
  if (items !== undefined && !(isXPathSyntax(items) && (parse === 'xml' || parse === 'auto')))
    issues.push(...checkShorthand(items, ['extract', 'items'], itemsLanguage, 'items'));
  issues.push(...lintFields(c));
  const paginate = c.paginate ? resolveCollector(c).paginate : undefined;
  if (paginate) issues.push(...lintPagination(paginate, parse));
  for (const { follow, path } of eachFollow(c)) {
    // The link is read from the item of the page before, which is HTML when a selector is used.
    if (follow.selector !== undefined) issues.push(...selector(follow.selector, [...path, 'selector']));
  }
  return issues;
}

function lintFields(c: Collector): Issue[] {
  const issues: Issue[] = [];
  for (const { field, path, parse: pageParse } of allFields(c)) {
    // Inside XPath items, embedded data, a `json` field or HTML inside a JSON value, a field is read another way.
    const reading = readingAt(c, path);
    const parse: Language = reading === 'css' ? 'html' : (reading ?? (pageParse === 'tsv' ? 'csv' : pageParse));
    if (typeof field === 'string') {
      // A CSV column name can be anything, and only a page says which exist.
      if (parse !== 'csv') issues.push(...checkShorthand(field, path, parse, 'field'));
      continue;
    }
    const data = (field.json !== undefined && field.json !== false) || (field.jsonld !== undefined && field.jsonld !== false);
    // A selector written as XPath is checked with the other XML options (lint/extract-formats.ts).
    if (field.selector !== undefined && !isXPathSyntax(field.selector) && parse !== 'xpath') {
      if ((parse === 'json' || parse === 'csv') && field.path === undefined)
        issues.push({
          path: [...path, 'selector'],
          at: 'key',
          message: `a field of a ${parse === 'json' ? 'JSON' : 'CSV'} page uses "path", not "selector"`,
          hint: 'write path: with a JMESPath expression',
        });
      else issues.push(...selector(field.selector, [...path, 'selector']));
    }
    if (field.path !== undefined) {
      if ((parse === 'html' || parse === 'xml' || parse === 'xpath') && !data)
        issues.push({
          path: [...path, 'path'],
          at: 'key',
          message: `a field of an ${parse === 'html' ? 'HTML' : 'XML'} page uses "${parse === 'xpath' ? 'xpath' : 'selector'}", not "path"`,
          hint: 'write selector: with a CSS selector',
        });
      else issues.push(...jmespath(field.path, [...path, 'path']));
    }
    // With both, `selector` reads HTML inside the value `path` gives, and `attr` or `html` apply to it.
    if ((parse === 'json' || parse === 'csv') && !(field.selector !== undefined && field.path !== undefined) && !data) {
      for (const option of ['attr', 'html'] as const) {
        if (field[option] !== undefined)
          issues.push({
            path: [...path, option],
            at: 'key',
            message: `"${option}" applies to HTML pages only; this page is parsed as ${parse === 'json' ? 'JSON' : 'CSV'}`,
            hint: 'remove it or set parse: html',
          });
      }
    }
    if (field.regex !== undefined) issues.push(...problem(checkRegex(field.regex), [...path, 'regex']));
    if (field.timezone !== undefined) {
      const tz = checkTimeZone(field.timezone);
      if (tz) issues.push({ path: [...path, 'timezone'], ...tz });
    }
    if (field.fields !== undefined && Object.keys(field.fields).length === 0) {
      issues.push({ path: [...path, 'fields'], message: 'define at least one field', hint: 'or remove "fields"' });
    }
  }
  return issues;
}

/** A string is a selector on HTML pages and a JMESPath on JSON; with `auto` either must compile. */
function checkShorthand(text: string, path: PathSegment[], parse: Language, what: 'items' | 'field'): Issue[] {
  if (parse === 'xpath' || ((parse === 'xml' || parse === 'auto') && isXPathSyntax(text))) return problem(checkXPath(text), path);
  if (parse === 'html' || parse === 'xml') return selector(text, path);
  if (parse === 'json') return jmespath(text, path);
  if (parse === 'csv' || parse === 'tsv') return [];
  const asSelector = checkSelector(text);
  const asPath = checkJmesPath(text);
  if (asSelector === undefined || asPath === undefined) return [];
  return [
    {
      path,
      message: `${what === 'items' ? 'items' : 'this field'} is neither a CSS selector nor a JMESPath expression: ${asSelector}; ${asPath}`,
      hint: 'set parse: html or parse: json to get one precise error',
    },
  ];
}

function selector(text: string, path: PathSegment[]): Issue[] {
  return problem(checkSelector(text), path);
}

function jmespath(text: string, path: PathSegment[]): Issue[] {
  return problem(checkJmesPath(text), path);
}

function problem(message: string | undefined, path: PathSegment[]): Issue[] {
  return message === undefined ? [] : [{ path, message }];
}
