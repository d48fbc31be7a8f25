// CSS selectors, JMESPath expressions and regexes must compile, and each must
// suit the page it is used on: an HTML page is read with selectors, JSON with paths.
import { checkJmesPath, checkRegex, checkSelector } from '../../core/extract/check.ts';
import { lintPagination } from '../../core/paginate/registry.ts';
import { resolveCollector } from '../resolve.ts';
import type { Collector, Parse } from '../generated/collector.types.ts';
import type { Issue, PathSegment } from '../issue.ts';
import { checkTimeZone } from './timezone.ts';
import { allFields, eachFollow } from './walk.ts';

export function lintExpressions(c: Collector): Issue[] {
  const issues: Issue[] = [];
  const parse = c.parse ?? 'auto';
  if (c.extract.items !== undefined) issues.push(...checkShorthand(c.extract.items, ['extract', 'items'], parse, 'items'));
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
  for (const { field, path, parse } of allFields(c)) {
    if (typeof field === 'string') {
      issues.push(...checkShorthand(field, path, parse, 'field'));
      continue;
    }
    if (field.selector !== undefined) {
      if (parse === 'json')
        issues.push({
          path: [...path, 'selector'],
          at: 'key',
          message: 'a field of a JSON page uses "path", not "selector"',
          hint: 'write path: with a JMESPath expression',
        });
      else issues.push(...selector(field.selector, [...path, 'selector']));
    }
    if (field.path !== undefined) {
      if (parse === 'html')
        issues.push({
          path: [...path, 'path'],
          at: 'key',
          message: 'a field of an HTML page uses "selector", not "path"',
          hint: 'write selector: with a CSS selector',
        });
      else issues.push(...jmespath(field.path, [...path, 'path']));
    }
    if (parse === 'json') {
      for (const option of ['attr', 'html'] as const) {
        if (field[option] !== undefined)
          issues.push({
            path: [...path, option],
            at: 'key',
            message: `"${option}" applies to HTML pages only; this page is parsed as JSON`,
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
function checkShorthand(text: string, path: PathSegment[], parse: Parse, what: 'items' | 'field'): Issue[] {
  if (parse === 'html') return selector(text, path);
  if (parse === 'json') return jmespath(text, path);
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
