// A response body becomes a ParsedPage once; fields, links and pagination all read that.

import { load } from 'cheerio/slim';
import type { Parse } from '../../language/generated/collector.types.ts';
import { NestingTooDeepError, ParseError } from './errors.ts';
import { locateJsonError } from './json-error.ts';
import { jsonNestsDeeper, MAX_NESTING_DEPTH, parseHtmlWithin } from './nesting.ts';
import type { ParsedPage } from './types.ts';
import { parseCsv, sniffDelimiter } from './csv.ts';
import { looksLikeXml, parseXml } from './xml.ts';

/**
 * Parses a body as HTML (htmlparser2 through cheerio/slim: several times cheaper than parse5),
 * JSON, XML (htmlparser2 in XML mode) or CSV/TSV. `auto` goes by Content-Type; without one, a
 * body opening with `{` or `[` is JSON and one opening with `<?xml` (not XHTML) is XML.
 * A page nested deeper than MAX_NESTING_DEPTH is refused (NestingTooDeepError) before
 * any recursive code sees it.
 */
export function parsePage(text: string, contentType: string | undefined, url: string, parse: Parse = 'auto'): ParsedPage {
  const kind = parse === 'auto' ? detectKind(contentType, text) : parse;
  if (kind === 'html') {
    const tree = parseHtmlWithin(text, MAX_NESTING_DEPTH);
    if (!tree) throw new NestingTooDeepError(url, 'HTML', MAX_NESTING_DEPTH);
    return { kind: 'html', url, doc: load(tree) };
  }
  if (kind === 'xml') return { kind: 'xml', url, doc: parseXml(text, url), text };
  if (kind === 'csv' || kind === 'tsv') {
    const delimiter = kind === 'tsv' ? '\t' : sniffDelimiter(text);
    return { kind: 'csv', url, text, delimiter, table: parseCsv(text, url, delimiter) };
  }
  return { kind: 'json', url, data: parseJson(text, url) };
}

export function detectKind(contentType: string | undefined, text: string): 'html' | 'json' | 'xml' | 'csv' | 'tsv' {
  const mime = (contentType ?? '').split(';', 1)[0]!.trim().toLowerCase();
  if (mime === '') {
    const first = /^[\s\uFEFF]*(.)/.exec(text)?.[1];
    if (first === '{' || first === '[') return 'json';
    return looksLikeXml(text) ? 'xml' : 'html';
  }
  if (mime === 'application/json' || mime === 'text/json' || mime.endsWith('+json')) return 'json';
  if (mime === 'text/csv' || mime === 'application/csv') return 'csv';
  if (mime === 'text/tab-separated-values') return 'tsv';
  // XHTML is HTML to read, whatever its XML syntax.
  if (mime === 'application/xhtml+xml') return 'html';
  if (mime === 'application/xml' || mime === 'text/xml' || mime.endsWith('+xml')) return 'xml';
  return 'html';
}

/** A blank body is no data (null) rather than an error: APIs answer 200 with nothing at times. */
function parseJson(text: string, url: string): unknown {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.trim() === '') return null;
  if (jsonNestsDeeper(body, MAX_NESTING_DEPTH)) throw new NestingTooDeepError(url, 'JSON', MAX_NESTING_DEPTH);
  try {
    return JSON.parse(body);
  } catch (e) {
    const where = locateJsonError(body);
    if (where) {
      throw new ParseError(
        url,
        where.position,
        `${where.reason} at position ${where.position} (line ${where.line}, column ${where.column})`,
      );
    }
    throw new ParseError(url, -1, (e as Error).message);
  }
}
