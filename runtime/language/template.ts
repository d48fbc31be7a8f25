// The `{{ NAME }}` grammar of templates in URLs, headers, query, body and
// output prefixes: every module that reads or writes a template goes through
// here. Deliberately tiny: no logic, no filters, so a reviewer reads a URL as
// it will be.

export const PLACEHOLDER_SOURCE = String.raw`\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}`;
const PLACEHOLDER = new RegExp(PLACEHOLDER_SOURCE, 'g');

/** Variables every template may use without declaring them. */
export const BUILTIN_VARIABLES = ['name', 'runId', 'date'] as const;

class TemplateError extends Error {
  override readonly name = 'TemplateError';
  constructor(
    readonly template: string,
    readonly variable: string,
  ) {
    super(`template "${template}" uses {{ ${variable} }}, which has no value`);
  }
}

/** Each placeholder as written (`{{ base_url }}`), with the name it uses. */
export function placeholders(template: string): { name: string; text: string; index: number }[] {
  return [...template.matchAll(PLACEHOLDER)].map((m) => ({ name: m[1]!, text: m[0], index: m.index }));
}

/** Names used by a template, in order of first use. */
export function templateVariables(template: string): string[] {
  return [...new Set(placeholders(template).map((p) => p.name))];
}

export function hasPlaceholders(template: string): boolean {
  return placeholders(template).length > 0;
}

/** True when the text opens a placeholder, even one cut short (`${ssm:/x/{{ date }}}` reads as `/x/{{ date `). */
export function opensPlaceholder(text: string): boolean {
  return text.includes('{{');
}

/** The template with its placeholders replaced by `by` (to check the literal text around them). */
export function withoutPlaceholders(template: string, by = ''): string {
  return template.replace(PLACEHOLDER, by);
}

/** The literal text before the first placeholder (all of it when there is none). */
export function literalPrefix(template: string): string {
  const first = placeholders(template)[0];
  return first ? template.slice(0, first.index) : template;
}

export function render(template: string, vars: Readonly<Record<string, string>>): string {
  return template.replace(PLACEHOLDER, (_, name: string) => {
    const value = vars[name];
    if (value === undefined) throw new TemplateError(template, name);
    return value;
  });
}

/** Renders the placeholders whose values are known and leaves the others as written. */
export function renderKnown(template: string, vars: Readonly<Record<string, string>>): string {
  return template.replace(PLACEHOLDER, (whole, name: string) => vars[name] ?? whole);
}
