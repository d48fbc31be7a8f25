// Lint helpers the strategies share: an expression must compile, and must suit
// the kind of page the collector parses.
import type { ResolvedParse } from '../../language/generated/resolved.types.ts';
import type { Issue, PathSegment } from '../../language/issue.ts';
import { checkJmesPath, checkSelector } from '../extract/check.ts';

export function selectorIssues(parse: ResolvedParse, key: string, selector: string): Issue[] {
  if (parse === 'json' || parse === 'csv' || parse === 'tsv')
    return [
      {
        path: [key],
        at: 'key',
        message: `"${key}" reads an HTML page, but this collector parses pages as ${parse.toUpperCase()}`,
        hint: 'use path: with a JMESPath expression',
      },
    ];
  return problem(checkSelector(selector), [key]);
}

/** A JMESPath that reads a JSON response. */
export function jsonPathIssues(parse: ResolvedParse, path: PathSegment[], expression: string): Issue[] {
  const key = String(path[path.length - 1]);
  if (parse !== 'json' && parse !== 'auto')
    return [
      {
        path,
        at: 'key',
        message: `"${key}" reads a JSON response, but this collector parses pages as ${parse.toUpperCase()}`,
        hint: 'set parse: json or auto',
      },
    ];
  return problem(checkJmesPath(expression), path);
}

/** Options of which exactly one must be given. */
export function exactlyOne(given: Record<string, boolean>, what: string, hint: string): Issue[] {
  const names = Object.keys(given);
  const set = names.filter((k) => given[k]);
  if (set.length === 0)
    return [{ path: [], at: 'container', message: `${what} needs ${names.length > 2 ? 'one of ' : ''}${words(names, 'or')}`, hint }];
  if (set.length > 1)
    return [
      {
        path: [set[1]!],
        at: 'key',
        message: `set only one of ${words(names, 'and')}${names.length > 2 ? `; found ${set.join(', ')}` : ''}`,
      },
    ];
  return [];
}

function words(list: string[], conjunction: string): string {
  return list.length < 2 ? list.join('') : `${list.slice(0, -1).join(', ')} ${conjunction} ${list[list.length - 1]}`;
}

/** How `in` reads in a sentence. */
export function placeText(slot: { in: string; param: string; path?: readonly string[] | undefined }): string {
  if (slot.path) return `JSON body field \`${slot.path.join('.')}\``;
  return `${slot.in === 'path' ? 'URL variable' : `${slot.in} parameter`} \`${slot.param}\``;
}

function problem(message: string | undefined, path: PathSegment[]): Issue[] {
  return message === undefined ? [] : [{ path, message }];
}
