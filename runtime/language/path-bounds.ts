// What may stand in a path: the output location (`s3://bucket/prefix`, which
// is also a folder below `--out` locally) and the path of a start URL. Neither
// the spec nor a variable's value may leave its place: no "." or ".." segment,
// no absolute path, no backslash (a separator to Windows and to URL parsers),
// no control character; in a URL path also no percent-encoded dot segment and
// no "?" or "#". `collect validate` (lint/bounds.ts) and `--var` refuse them,
// and the sinks check the keys again when they write (core/output/layout.ts).
import type { Collector } from './generated/collector.types.ts';
import type { Problem } from './lint/problem.ts';
import { splitS3Uri } from './s3-uri.ts';
import { placeholders, render } from './template.ts';

/** Where a variable's value ends up: the output location or the path of a start URL. */
export type PathPlace = 'output' | 'url';

export interface PathProblem extends Problem {
  /** The offending text, to point at inside the value. */
  needle?: string;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this refuses
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const DOT_SEGMENT = /^\.{1,2}$/;
/** What a URL parser reads as "." or ".." (WHATWG: %2e is a dot in a path segment). */
const URL_DOT_SEGMENT = /^(?:\.|%2e){1,2}$/i;

function controlProblem(text: string, what: string): PathProblem | undefined {
  const m = CONTROL.exec(text);
  if (!m) return undefined;
  const code = `U+${m[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
  return { message: `${what} contains the control character ${code}`, hint: 'remove it', needle: m[0] };
}

/**
 * Why an output key (the part after `s3://`: bucket, prefix and file names)
 * could leave its place; undefined when it cannot. The sinks ask this of
 * every key before they write.
 */
export function keyProblem(key: string, what = 'the output location'): PathProblem | undefined {
  const control = controlProblem(key, what);
  if (control) return control;
  if (key.includes('\\'))
    return { message: `${what} contains a backslash, a path separator on Windows`, hint: 'use "/" between segments', needle: '\\' };
  if (key.startsWith('/')) return { message: `${what} is an absolute path`, hint: 'remove the leading "/"', needle: '/' };
  const dots = key.split('/').find((segment) => DOT_SEGMENT.test(segment));
  if (dots !== undefined) {
    return {
      message:
        dots === '..'
          ? `${what} has a ".." segment: records would land outside the folder it names`
          : `${what} has a "." segment, which names no folder`,
      hint: `remove the "${dots}" segment`,
      needle: dots,
    };
  }
  return undefined;
}

/** Why the text of a URL's path (up to "?" or "#") could leave its place on the site. */
function urlPathProblem(path: string, what: string): PathProblem | undefined {
  const control = controlProblem(path, what);
  if (control) return control;
  if (path.includes('\\'))
    return { message: `${what} contains a backslash, which URLs read as "/"`, hint: 'percent-encode it as %5C', needle: '\\' };
  const dots = path.split('/').find((segment) => URL_DOT_SEGMENT.test(segment));
  if (dots !== undefined) {
    return {
      message: `${what} has a "${dots}" segment, which moves the request to another path of the site`,
      hint: 'give the path segments themselves, without "." or ".."',
      needle: dots,
    };
  }
  return undefined;
}

/** A value's own problems where it goes, before it is put in its template. */
function valueProblem(value: string, place: PathPlace, what: string): PathProblem | undefined {
  if (place === 'output') {
    if (value.startsWith('/')) return { message: `${what} starts with "/", an absolute path`, hint: 'remove the leading "/"', needle: '/' };
    return keyProblem(value, what);
  }
  const problem = urlPathProblem(value, what);
  if (problem) return problem;
  const mark = /[?#]/.exec(value)?.[0];
  if (mark)
    return {
      message: `${what} contains "${mark}", which ends the URL's path`,
      hint: `percent-encode it as ${mark === '?' ? '%3F' : '%23'}`,
      needle: mark,
    };
  return undefined;
}

/** A start URL's template split at its path: the placeholders after the first "/" of the path and before "?" or "#". */
function inUrlPath(template: string, index: number): boolean {
  const before = template.slice(0, index).replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
  const literal = before.replace(/\{\{[^}]*\}\}/g, 'x');
  return literal.includes('/') && !/[?#]/.test(literal);
}

/** Where a variable is used in a path: the output location, the path of some start URL, or neither. */
export function variablePlaces(c: Pick<Collector, 'start' | 'output'>, name: string): PathPlace[] {
  const places: PathPlace[] = [];
  if (placeholders(c.output).some((p) => p.name === name)) places.push('output');
  if ((c.start.urls ?? []).some((url) => placeholders(url).some((p) => p.name === name && inUrlPath(url, p.index)))) places.push('url');
  return places;
}

/** Renders a template with `name` set to `value` and every other placeholder to a plain stand-in. */
function renderOne(template: string, name: string, value: string): string {
  const vars: Record<string, string> = { [name]: value };
  for (const p of placeholders(template)) if (p.name !== name) vars[p.name] = 'x';
  return render(template, vars);
}

/**
 * Why `value` cannot be the value of variable `name`: it would take the output
 * or a start URL's path out of its place. Checked alone and in its templates
 * (`{{ v }}.` with v = "." makes a ".." segment).
 */
export function variableValueProblem(c: Pick<Collector, 'start' | 'output'>, name: string, value: string): PathProblem | undefined {
  for (const place of variablePlaces(c, name)) {
    const where = place === 'output' ? 'the output location' : 'a start URL path';
    const what = `the value ${JSON.stringify(value)} of "${name}" (used in ${where})`;
    const own = valueProblem(value, place, what);
    if (own) return own;
    if (place === 'output') {
      const location = splitS3Uri(renderOne(c.output, name, value));
      const inPlace = location ? keyProblem(`${location.bucket}/${location.key}`, `with ${what}, the output location`) : undefined;
      if (inPlace) return { ...inPlace, needle: value };
      continue;
    }
    for (const url of c.start.urls ?? []) {
      if (!placeholders(url).some((p) => p.name === name)) continue;
      const rendered = renderOne(url, name, value).replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
      const path = rendered.slice(rendered.indexOf('/') + 1).split(/[?#]/)[0]!;
      const inPlace = rendered.includes('/') ? urlPathProblem(path, `with ${what}, the URL path`) : undefined;
      if (inPlace) return { ...inPlace, needle: value };
    }
  }
  return undefined;
}

/** The key without what keyProblem refuses: control characters, backslashes (as "/"), leading "/" and "." or ".." segments. */
export function tidyKey(key: string): string {
  return key
    .replace(new RegExp(CONTROL.source, 'g'), '')
    .replace(/\\/g, '/')
    .split('/')
    .filter((segment) => segment !== '' && segment !== '.' && segment !== '..')
    .join('/');
}
