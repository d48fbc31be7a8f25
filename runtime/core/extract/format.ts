// How a page was read, in a word `collect try` prints after the response line.

import type { ParsedPage } from './types.ts';

/** `html`, `json`, `xml`, `csv`, `tsv`, or `csv (delimiter ";")` for another separator. */
export function pageFormat(page: ParsedPage): string {
  if (page.kind !== 'csv') return page.kind;
  if (page.delimiter === ',') return 'csv';
  if (page.delimiter === '\t') return 'tsv';
  return `csv (delimiter ${JSON.stringify(page.delimiter)})`;
}
