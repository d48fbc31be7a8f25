// Small YAML documents with a known layout, and their diagnostics as the text
// lines `collect validate` prints, so tests assert exact messages and positions.
import { formatDiagnosticText, sortDiagnostics } from '../../runtime/language/diagnostic.ts';
import { loadCollectorText } from '../../runtime/language/load.ts';

export const FILE = 'collectors/t.yaml';

/** Lines 1-10 of every document built by `doc`; extra lines start at line 11. */
export const BASE = [
  'name: t', // 1
  'owner: team@example.com', // 2
  'start:', // 3
  '  urls: ["https://example.com/a"]', // 4
  'extract:', // 5
  '  fields:', // 6
  '    title: h1', // 7
  'output: s3://bucket-a/raw', // 8
  'expect:', // 9
  '  minRecords: 1', // 10
];

export function doc(...extra: string[]): string {
  return `${[...BASE, ...extra].join('\n')}\n`;
}

/** The base document with some of its lines replaced: `{ 7: '    title: 5' }`. */
export function docWith(replace: Record<number, string>, ...extra: string[]): string {
  return `${[...BASE.map((line, i) => replace[i + 1] ?? line), ...extra].join('\n')}\n`;
}

/** Every diagnostic of a text, formatted as `file:line:col severity path: message (hint)`. */
export function check(text: string, file = FILE): string[] {
  return sortDiagnostics(loadCollectorText(text, file).diagnostics).map(formatDiagnosticText);
}
