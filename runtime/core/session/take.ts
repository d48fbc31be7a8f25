// `take`: the values a login step reads from its response, each from one
// source (an HTML element or attribute, a JSON path, a header, a cookie the
// step set, a regular expression on the body). A value is site data: it is
// inserted where `${session:NAME}` stands, never read as a template.
import type { ResolvedSessionTake } from '../../language/generated/resolved.types.ts';
import { compileJmesPath } from '../extract/jmespath.ts';
import { parsePage } from '../extract/parse.ts';
import { applyRegex, compileRegex } from '../extract/regex.ts';
import type { FetchResponse } from '../fetch/types.ts';

/** What a take reads besides the response: the cookies the step's responses set, by name. */
interface TakeSources {
  response: FetchResponse;
  cookies: ReadonlyMap<string, string>;
}

/** The source a take names, in words (for errors and `explain`); undefined when it names none. */
export function describeTake(take: ResolvedSessionTake): string | undefined {
  if (take.selector !== undefined) return `${take.attr ? `attribute ${take.attr} of ` : 'the text of '}${take.selector}`;
  if (take.path !== undefined) return `JSON ${take.path}`;
  if (take.header !== undefined) return `header ${take.header}`;
  if (take.cookie !== undefined) return `cookie ${take.cookie}`;
  if (take.regex !== undefined) return `regex ${take.regex}`;
  return undefined;
}

/** The value, or a message saying why there is none. */
export function takeValue(take: ResolvedSessionTake, from: TakeSources): { value: string } | { missing: string } {
  const { response } = from;
  const found = (value: unknown): { value: string } | { missing: string } =>
    typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
      ? String(value) === ''
        ? { missing: `${describeTake(take)} is empty` }
        : { value: String(value) }
      : { missing: `${describeTake(take)} found ${value === null || value === undefined ? 'nothing' : 'no string, number or boolean'}` };
  if (take.selector !== undefined) {
    const page = parsePage(response.text, response.headers['content-type'], response.url, 'html');
    if (page.kind !== 'html') return { missing: 'the response is not HTML' };
    const element = page.doc(take.selector).first();
    if (element.length === 0) return { missing: `${take.selector} matched nothing` };
    return found(take.attr ? element.attr(take.attr) : element.text().trim());
  }
  if (take.path !== undefined) {
    let data: unknown;
    try {
      const page = parsePage(response.text, response.headers['content-type'], response.url, 'json');
      data = page.kind === 'json' ? page.data : undefined;
    } catch {
      return { missing: 'the response is not JSON' };
    }
    return found(compileJmesPath(take.path)(data));
  }
  if (take.header !== undefined) return found(response.headers[take.header.toLowerCase()]);
  if (take.cookie !== undefined) return found(from.cookies.get(take.cookie));
  if (take.regex !== undefined) return found(applyRegex(compileRegex(take.regex), response.text));
  return { missing: 'the take names no source (selector, path, header, cookie or regex)' };
}
