// One problem found in a collector file, pinned to a line and column, and the
// three ways of printing a list of them: for people, for GitHub Actions, for tools.

export type Severity = 'error' | 'warning';

export interface Diagnostic {
  /** Path of the file as the user named it (relative to the working directory). */
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
  /** Where in the document, e.g. `paginate.selector` or `start.urls[0]`; empty for YAML syntax problems. */
  path: string;
  message: string;
  hint?: string;
  severity: Severity;
}

export type DiagnosticFormat = 'text' | 'github' | 'json';
export const DIAGNOSTIC_FORMATS: readonly DiagnosticFormat[] = ['text', 'github', 'json'];

export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  // Array.prototype.sort is stable, so equal positions keep the order they were found in.
  return [...diagnostics].sort((a, b) => compare(a.file, b.file) || a.line - b.line || a.column - b.column);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

export function countBySeverity(diagnostics: readonly Diagnostic[]): { errors: number; warnings: number } {
  let errors = 0;
  for (const d of diagnostics) if (d.severity === 'error') errors++;
  return { errors, warnings: diagnostics.length - errors };
}

/** `collectors/books.yaml:14:7 error paginate.selectr: unknown option "selectr" (did you mean "selector"?)` */
export function formatDiagnosticText(d: Diagnostic): string {
  const where = d.path ? `${d.path}: ` : '';
  const hint = d.hint ? ` (${d.hint})` : '';
  return `${d.file}:${d.line}:${d.column} ${d.severity} ${where}${d.message}${hint}`;
}

export function formatText(diagnostics: readonly Diagnostic[]): string {
  return sortDiagnostics(diagnostics)
    .map((d) => `${formatDiagnosticText(d)}\n`)
    .join('');
}

/**
 * GitHub Actions workflow commands (`::error file=…,line=…,col=…,title=…::message`), which
 * turn into annotations on the pull request's changed lines.
 */
export function formatGithub(diagnostics: readonly Diagnostic[]): string {
  return sortDiagnostics(diagnostics)
    .map((d) => {
      const props = [`file=${escapeProperty(d.file)}`, `line=${d.line}`, `col=${d.column}`];
      if (d.path) props.push(`title=${escapeProperty(d.path)}`);
      const text = d.hint ? `${d.message} (${d.hint})` : d.message;
      return `::${d.severity} ${props.join(',')}::${escapeData(text)}\n`;
    })
    .join('');
}

/** Escaping of a command's message, as done by @actions/core. */
export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escaping of a command's property values: the data escapes plus `:` and `,`, which delimit properties. */
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export function formatJson(diagnostics: readonly Diagnostic[]): string {
  const plain = sortDiagnostics(diagnostics).map((d) => {
    const { file, line, column, severity, path, message, hint } = d;
    return hint === undefined ? { file, line, column, severity, path, message } : { file, line, column, severity, path, message, hint };
  });
  return `${JSON.stringify(plain, null, 2)}\n`;
}

export function formatDiagnostics(diagnostics: readonly Diagnostic[], format: DiagnosticFormat): string {
  switch (format) {
    case 'text':
      return formatText(diagnostics);
    case 'github':
      return formatGithub(diagnostics);
    case 'json':
      return formatJson(diagnostics);
  }
}
