// Secret references (`${env:NAME}`, `${ssm:/path}`; their grammar is
// runtime/language/secret-references.ts) are resolved here, at the moment a
// request is made, only in the text the collector's author wrote in the
// request (runtime/language/request-text.ts): never in a variable's value, a
// token, a link or anything else a site sent. Every value handed out is
// remembered in each form it can take in text (URL- and form-encoded, base64,
// JSON-escaped), so it can be taken out of whatever leaves the request: log
// lines, error reports, records, the URLs of follow-up tasks, recordings.
import { expandRequestText } from '../language/request-text.ts';
import type { SecretReference } from '../language/secret-references.ts';
import { renderKnown } from '../language/template.ts';

export { secretReferencesIn } from '../language/secret-references.ts';

/** Looks up SSM parameters; the Lambda runtime supplies one backed by Powertools Parameters. */
export interface SsmResolver {
  get(path: string): Promise<string>;
}

export class SecretError extends Error {
  override readonly name = 'SecretError';
}

/**
 * The values a session's login steps took, by name, for `${session:NAME}` (runtime/core/session/).
 * They are registered with the resolver when taken, so they are redacted like any secret.
 */
export type SessionValues = Readonly<Record<string, string>>;

/** What builds a request from the author's text: the resolver, or the resolver bound to a session's values. */
export interface RequestExpander {
  expand(template: string, vars: Readonly<Record<string, string>>): Promise<string>;
  /** The same expander with `${session:NAME}` taking `values` (absent on a bound one). */
  withSession?(values: SessionValues): RequestExpander;
}

export const REDACTED = '[REDACTED]';

/** Values shorter than this are not taken out of text: replacing them would mangle ordinary words. */
const MIN_REDACTED_LENGTH = 4;

/** The forms a value can take in text the runtime writes or a site echoes. */
export function secretForms(value: string): string[] {
  const base64 = Buffer.from(value, 'utf8').toString('base64');
  return [
    value,
    encodeURIComponent(value),
    new URLSearchParams({ v: value }).toString().slice(2),
    encodeURI(value),
    JSON.stringify(value).slice(1, -1),
    base64,
    base64.replace(/=+$/, ''),
    base64.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, ''),
  ].filter((form) => form.length >= MIN_REDACTED_LENGTH);
}

export class SecretResolver {
  /** Every form of every value handed out, longest first (so a form that holds another is replaced whole). */
  private forms: string[] = [];

  constructor(
    private readonly env: Readonly<Record<string, string | undefined>> = process.env,
    private readonly ssm?: SsmResolver,
  ) {}

  /**
   * Resolves every reference up front, so a run learns of a missing variable or
   * parameter before its first request (one error names all that are missing),
   * and every value is known before a site could echo it. A name with a
   * placeholder `vars` cannot fill (a variable with several values) is left for
   * the request.
   */
  async preload(refs: readonly SecretReference[], vars: Readonly<Record<string, string>> = {}): Promise<void> {
    const missing: string[] = [];
    for (const ref of refs) {
      // Session values exist only once a login step has taken them.
      if (ref.source === 'session') continue;
      const key = renderKnown(ref.key, vars).trim();
      if (key.includes('{{')) continue;
      try {
        await this.lookup({ ...ref, key });
      } catch (err) {
        if (!(err instanceof SecretError)) throw err;
        missing.push(err.message);
      }
    }
    if (missing.length === 1) throw new SecretError(missing[0]!);
    if (missing.length > 1) throw new SecretError(`${missing.length} secrets cannot be resolved:\n  ${missing.join('\n  ')}`);
  }

  /**
   * The author's request text with its placeholders filled and its references resolved, in one pass.
   * `${session:NAME}` takes its value from `session`; without it the reference stays as written, a
   * stand-in never sent: the session layer builds the request again with its values first.
   */
  expand(template: string, vars: Readonly<Record<string, string>>, session?: SessionValues): Promise<string> {
    return expandRequestText(template, vars, async (ref) => {
      if (ref.source !== 'session') return this.lookup(ref);
      if (!session) return ref.text;
      const value = Object.hasOwn(session, ref.key) ? session[ref.key] : undefined;
      if (value === undefined) throw new SecretError(`${ref.text}: no login step of session.login took ${ref.key}`);
      return value;
    });
  }

  withSession(values: SessionValues): RequestExpander {
    return { expand: (template, vars) => this.expand(template, vars, values) };
  }

  /** Makes a value a secret without a reference: a cookie's or a session value, redacted from then on. */
  register(value: string): void {
    this.remember(value);
  }

  /** The value of one reference whose name is already rendered. */
  async lookup(ref: SecretReference): Promise<string> {
    const value = await this.fetch(ref);
    this.remember(value);
    return value;
  }

  /** Replaces every secret value this resolver has handed out, in any of its forms. */
  redact(text: string): string {
    let out = text;
    for (const form of this.forms) if (out.includes(form)) out = out.split(form).join(REDACTED);
    return out;
  }

  holdsSecret(text: string): boolean {
    return this.forms.some((form) => text.includes(form));
  }

  /**
   * A URL fit to keep (a follow-up task's, a record's): query parameters whose
   * value holds a secret are dropped (the request adds the author's again when
   * it is sent), and a secret anywhere else is redacted.
   */
  scrubUrl(url: string): string {
    if (!this.holdsSecret(url)) return url;
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return this.redact(url);
    }
    for (const [name, value] of [...parsed.searchParams]) {
      if (this.holdsSecret(value) || this.holdsSecret(name)) parsed.searchParams.delete(name, value);
    }
    return this.redact(parsed.href);
  }

  /** A record's values with every secret taken out (a URL scrubbed as above, other text redacted). */
  scrubValue<T>(value: T): T {
    if (this.forms.length === 0) return value;
    return this.scrub(value) as T;
  }

  private scrub(value: unknown): unknown {
    if (typeof value === 'string') {
      if (!this.holdsSecret(value)) return value;
      return /^https?:\/\//i.test(value) ? this.scrubUrl(value) : this.redact(value);
    }
    if (Array.isArray(value)) return value.map((v) => this.scrub(v));
    if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.scrub(v)]));
    return value;
  }

  private remember(value: string): void {
    const known = new Set(this.forms);
    const before = known.size;
    for (const form of secretForms(value)) known.add(form);
    if (known.size !== before) this.forms = [...known].sort((a, b) => b.length - a.length);
  }

  private async fetch(ref: SecretReference): Promise<string> {
    if (ref.source === 'session') throw new SecretError(`${ref.text}: session values are taken by login steps, not looked up`);
    if (ref.source === 'env') {
      const value = this.env[ref.key];
      if (value === undefined) throw new SecretError(`${ref.text}: environment variable ${ref.key} is not set (export it before the run)`);
      return value;
    }
    if (!this.ssm) throw new SecretError(`${ref.text}: SSM parameters are resolved only on AWS (or with an SSM resolver)`);
    return this.ssm.get(ref.key);
  }
}
