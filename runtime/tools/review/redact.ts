// Keeps secrets out of recordings and of what `try` prints. Credentials travel
// in well-known headers (replaced whatever their value), and every value a
// `${env:...}` reference of the collector's request resolves to is replaced
// wherever it appears, in every form the secret resolver knows (verbatim,
// URL- and form-encoded, base64, JSON-escaped).
import { REDACTED, SecretResolver, secretReferencesIn } from '../../core/secrets.ts';
import { resolveCollector } from '../../language/resolve.ts';
import { requestTextOf } from '../../language/secret-references.ts';
import { constantVariables } from '../../language/variables.ts';
import { redactCredentialFields } from './credential-fields.ts';
import type { Collector } from '../../language/generated/collector.types.ts';

export { REDACTED };

/** Headers whose value is a credential, whatever the collector says. */
const SENSITIVE_HEADERS: readonly string[] = ['authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'x-api-key'];

/**
 * The environment a replay runs with: the real value of each secret the collector
 * references when it is set, a stand-in otherwise, so that CI replays need no
 * secret at all. Both are redacted the same way, so request keys still match.
 */
export function replayEnv(collector: Collector, env: Readonly<Record<string, string | undefined>>): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = { ...env };
  for (const ref of secretReferencesIn(requestTextOf(collector))) {
    if (ref.source === 'env' && out[ref.key.trim()] === undefined) out[ref.key.trim()] = `collect-replay-${ref.key.trim()}`;
  }
  return out;
}

export class Redactor {
  private constructor(
    /** The resolver whose values are redacted; a recorded run shares it, so what a login takes is redacted too. */
    readonly resolver: SecretResolver,
  ) {
    // A value taken from a recording is `[REDACTED]`; sent again it may be encoded (`%5BREDACTED%5D`
    // in a form). Redacting its forms too gives the request the key it was recorded under.
    resolver.register(REDACTED);
  }

  /**
   * Resolves the collector's `${env:...}` references as the engine will, so their
   * values are known before the first request. `${ssm:...}` cannot be resolved
   * locally; a collector using one cannot be recorded here anyway.
   */
  static async forCollector(collector: Collector, env: Readonly<Record<string, string | undefined>>): Promise<Redactor> {
    const resolver = new SecretResolver(env);
    const refs = secretReferencesIn(requestTextOf(collector)).filter((ref) => ref.source === 'env' && env[ref.key.trim()] !== undefined);
    await resolver.preload(refs, { name: collector.name, ...constantVariables(resolveCollector(collector).variables) });
    return new Redactor(resolver);
  }

  static none(): Redactor {
    return new Redactor(new SecretResolver({}));
  }

  text(text: string): string {
    return redactCredentialFields(this.resolver.redact(text));
  }

  headers(headers: Record<string, string>): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [name, value] of Object.entries(headers))
      out[name] = SENSITIVE_HEADERS.includes(name.toLowerCase()) ? REDACTED : this.text(value);
    return out;
  }
}
