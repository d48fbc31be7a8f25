// Rows as a table in the terminal: a header, a rule, one line a row, columns
// cut to fit the terminal's width (the widest first, each cut cell ending in
// "…"), so a wide record never wraps into an unreadable block.

const GAP = '  ';
/** No column gets narrower than this while another is wider. */
const MIN_WIDTH = 6;

/** A value as one line of text: null as empty, objects and lists as JSON. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
  return text.replace(/\s*[\r\n]+\s*/g, ' ');
}

export function textTable(columns: readonly string[], rows: readonly (readonly unknown[])[], width: number): string {
  const cells = rows.map((row) => columns.map((_, i) => cellText(row[i])));
  const widths = columns.map((c, i) => Math.max(length(c), ...cells.map((r) => length(r[i]!))));
  narrowToFit(widths, Math.max(width, columns.length * (MIN_WIDTH + GAP.length)) - GAP.length * (columns.length - 1));
  const numeric = columns.map(
    (_, i) => rows.length > 0 && rows.every((r) => r[i] === null || r[i] === undefined || typeof r[i] === 'number'),
  );
  const line = (values: string[], header = false) =>
    values
      .map((v, i) => {
        const cut = truncate(v, widths[i]!);
        return numeric[i] && !header ? cut.padStart(widths[i]!) : cut.padEnd(widths[i]!);
      })
      .join(GAP)
      .trimEnd();
  return [line([...columns], true), widths.map((w) => '─'.repeat(w)).join(GAP), ...cells.map((r) => line(r))].join('\n') + '\n';
}

/** Narrows the widest columns until the total fits `room`. */
function narrowToFit(widths: number[], room: number): void {
  let total = widths.reduce((a, b) => a + b, 0);
  while (total > room) {
    const widest = widths.indexOf(Math.max(...widths));
    if (widths[widest]! <= MIN_WIDTH) break;
    const second = Math.max(MIN_WIDTH, ...widths.filter((_, i) => i !== widest));
    const cut = Math.max(1, Math.min(total - room, widths[widest]! - second || 1));
    widths[widest]! -= cut;
    total -= cut;
  }
}

function length(text: string): number {
  return [...text].length;
}

function truncate(text: string, width: number): string {
  const chars = [...text];
  return chars.length <= width ? text : `${chars.slice(0, Math.max(0, width - 1)).join('')}…`;
}
