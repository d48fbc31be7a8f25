// `{{ NAME }}` templates in URLs, headers, query, body and output prefixes.
// Deliberately tiny: no logic, no filters, so a reviewer reads a URL as it will be.

const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

/** Variables every template may use without declaring them. */
export const BUILTIN_VARIABLES = ['name', 'runId', 'date'] as const;

export class TemplateError extends Error {
  override readonly name = 'TemplateError';
  constructor(
    readonly template: string,
    readonly variable: string,
  ) {
    super(`template "${template}" uses {{ ${variable} }}, which has no value`);
  }
}

/** Names used by a template, in order of first use. */
export function templateVariables(template: string): string[] {
  const names = new Set<string>();
  for (const m of template.matchAll(PLACEHOLDER)) names.add(m[1]!);
  return [...names];
}

export function hasPlaceholders(template: string): boolean {
  PLACEHOLDER.lastIndex = 0;
  return PLACEHOLDER.test(template);
}

export function render(template: string, vars: Readonly<Record<string, string>>): string {
  return template.replace(PLACEHOLDER, (_, name: string) => {
    const value = vars[name];
    if (value === undefined) throw new TemplateError(template, name);
    return value;
  });
}

/** Renders every string inside a JSON value (request bodies). */
export function renderDeep(value: unknown, vars: Readonly<Record<string, string>>): unknown {
  if (typeof value === 'string') return render(value, vars);
  if (Array.isArray(value)) return value.map((v) => renderDeep(v, vars));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, renderDeep(v, vars)]));
  }
  return value;
}
