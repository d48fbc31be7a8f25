// CSV and TSV bodies: a header row, then one item per row. Cells are split by csv-parse
// (quotes, doubled quotes, line breaks inside quotes, a byte order mark); rows stay arrays
// here, and become objects keyed by column name only where fields read them.

import { parse } from 'csv-parse/sync';
import { ParseError } from './errors.ts';
import type { CsvTable } from './types.ts';

const CANDIDATES = [',', ';', '\t', '|'];

/** Splits a body into its header and rows. Throws a ParseError on a body csv-parse refuses (an unclosed quote). */
export function parseCsv(text: string, url: string, delimiter: string): CsvTable {
  let rows: string[][];
  try {
    rows = parse(text, { delimiter, bom: true, skip_empty_lines: true, relax_column_count: true });
  } catch (e) {
    // csv-parse's messages name the line ("Quote Not Closed: the parsing is finished with an opening quote at line 3").
    throw new ParseError(url, -1, (e as Error).message, 'CSV');
  }
  const [header = [], ...body] = rows;
  return { header: header.map((h) => h.trim()), rows: body };
}

/**
 * The separator a CSV body uses: the one of `,` `;` tab `|` found most often outside quotes in
 * its first line (the header); a comma when none is. Spreadsheets in many locales write `;`.
 */
export function sniffDelimiter(text: string): string {
  const counts = new Map<string, number>();
  let quoted = false;
  for (let i = text.charCodeAt(0) === 0xfeff ? 1 : 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') quoted = !quoted;
    else if (!quoted && (c === '\n' || c === '\r')) break;
    else if (!quoted && CANDIDATES.includes(c)) counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  let best = ',';
  let most = 0;
  for (const c of CANDIDATES) {
    const n = counts.get(c) ?? 0;
    if (n > most) {
      best = c;
      most = n;
    }
  }
  return best;
}

/** The row's cells in order, kept beside its object for `column: 3` (JMESPath never sees a symbol key). */
const CELLS = Symbol('cells');

/**
 * Rows as objects by column name, for `path` (JMESPath), `column` and `items`; the first column
 * of a name wins. An empty cell is null (a CSV cannot tell an empty string from no value).
 */
export function rowObjects(table: CsvTable): Record<string, string | null>[] {
  const { header } = table;
  return table.rows.map((row) => {
    // No prototype: a column named "constructor" or "__proto__" is a column like any other.
    const obj = Object.create(null) as Record<string, string | null> & { [CELLS]?: (string | null)[] };
    for (let i = 0; i < header.length; i++) {
      const name = header[i]!;
      if (!(name in obj)) obj[name] = cell(row[i]);
    }
    Object.defineProperty(obj, CELLS, { value: row.map(cell), enumerable: false });
    return obj;
  });
}

function cell(text: string | undefined): string | null {
  return text === undefined || text === '' ? null : text;
}

/** The cells of a row object made by rowObjects, in column order. */
export function cellsOf(row: unknown): (string | null)[] | undefined {
  return row !== null && typeof row === 'object' ? (row as { [CELLS]?: (string | null)[] })[CELLS] : undefined;
}
