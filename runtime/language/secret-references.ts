// The grammar of secret references: `${env:NAME}` (an environment variable),
// `${ssm:/path}` (an SSM parameter), whose name may hold `{{ NAME }}`
// placeholders (`${ssm:/collect/{{ name }}/token}`), and `${session:NAME}` (a
// value a login step took, runtime/core/session/). Strings the collector's
// author wrote in the request (and in the login steps of `session`) may hold
// them; nothing taken from a site, and no variable's value, is ever read for
// them (runtime/language/request-text.ts).

/** A reference; its name is any text without braces, or a placeholder. */
export const REFERENCE_SOURCE = String.raw`\$\{(env|ssm|session):((?:\{\{[^{}]*\}\}|[^{}])+)\}`;
const REFERENCE = new RegExp(REFERENCE_SOURCE, 'g');

type SecretSource = 'env' | 'ssm' | 'session';

export interface SecretReference {
  source: SecretSource;
  /** The variable's or parameter's name as written: it may hold placeholders, rendered before it is looked up. */
  key: string;
  /** As written: `${env:API_TOKEN}`. */
  text: string;
}

export function secretReferences(text: string): SecretReference[] {
  return [...text.matchAll(REFERENCE)].map((m) => ({ source: m[1] as SecretSource, key: m[2]!, text: m[0] }));
}

/** The text with its references replaced by `by` (to check what else a value holds). */
export function withoutReferences(text: string, by = ''): string {
  return text.replace(REFERENCE, by);
}

/**
 * Every distinct reference in the strings of a value (a collector's request
 * block, say); `transform` sees each string first (to render known templates).
 */
export function secretReferencesIn(value: unknown, transform: (text: string) => string = (t) => t): SecretReference[] {
  const found = new Map<string, SecretReference>();
  const walk = (v: unknown): void => {
    if (typeof v === 'string') for (const ref of secretReferences(transform(v))) found.set(ref.text, ref);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v !== null && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(value);
  return [...found.values()];
}

/**
 * The parts of a collector that are request text, where references are resolved: the request, and
 * the login steps of `session` (their `url` aside, as a start URL's). Whatever preloads, redacts or
 * checks the collector's secrets reads them here.
 */
export function requestTextOf(collector: {
  request?: unknown;
  session?: { login?: readonly { headers?: unknown; query?: unknown; body?: unknown }[] };
}): unknown[] {
  const steps = collector.session?.login ?? [];
  return [collector.request, ...steps.map((s) => [s.headers, s.query, s.body])];
}
