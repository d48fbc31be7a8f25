// Resolving secret references (`${env:NAME}`, `${ssm:/path}`; their grammar is
// runtime/language/secret-references.ts) at the moment a request is made; they
// are never stored in a task, a message or a recording, and every value handed
// out is known here so it can be redacted wherever it might show up.
import { secretReferences, type SecretReference } from '../language/secret-references.ts';

export { secretReferencesIn } from '../language/secret-references.ts';

/** Looks up SSM parameters; the Lambda runtime supplies one backed by Powertools Parameters. */
export interface SsmResolver {
  get(path: string): Promise<string>;
}

export class SecretError extends Error {
  override readonly name = 'SecretError';
}

export class SecretResolver {
  /** Every resolved value, so that redaction can find them in logs and recordings. */
  private readonly known = new Set<string>();

  constructor(
    private readonly env: Readonly<Record<string, string | undefined>> = process.env,
    private readonly ssm?: SsmResolver,
  ) {}

  /**
   * Resolves every reference up front, so a run learns of a missing variable or
   * parameter before its first request: one error names all that are missing.
   */
  async preload(refs: readonly SecretReference[]): Promise<void> {
    const missing: string[] = [];
    for (const ref of refs) {
      try {
        await this.resolve(ref.text);
      } catch (err) {
        if (!(err instanceof SecretError)) throw err;
        missing.push(err.message);
      }
    }
    if (missing.length === 1) throw new SecretError(missing[0]!);
    if (missing.length > 1) throw new SecretError(`${missing.length} secrets cannot be resolved:\n  ${missing.join('\n  ')}`);
  }

  async resolve(text: string): Promise<string> {
    const refs = secretReferences(text);
    if (refs.length === 0) return text;
    let out = text;
    for (const ref of refs) {
      const value = await this.lookup(ref);
      // A value in a query string or a form body is percent-encoded there, and so in every URL an error names.
      if (value.length >= 4)
        for (const form of [value, encodeURIComponent(value), new URLSearchParams({ v: value }).toString().slice(2)]) this.known.add(form);
      out = out.split(ref.text).join(value);
    }
    return out;
  }

  /** Replaces every secret value this resolver has handed out. */
  redact(text: string): string {
    let out = text;
    // Longest first, so that a form containing another is replaced whole.
    for (const value of [...this.known].sort((a, b) => b.length - a.length)) out = out.split(value).join('[REDACTED]');
    return out;
  }

  private async lookup(ref: SecretReference): Promise<string> {
    if (ref.source === 'env') {
      const value = this.env[ref.key];
      if (value === undefined) throw new SecretError(`${ref.text}: environment variable ${ref.key} is not set (export it before the run)`);
      return value;
    }
    if (!this.ssm) throw new SecretError(`${ref.text}: SSM parameters are resolved only on AWS (or with an SSM resolver)`);
    return this.ssm.get(ref.key);
  }
}
