// Keeps secrets out of recordings. Credentials travel in well-known headers
// (replaced whatever their value), and every value a `${env:...}` reference of
// the collector resolves to is replaced wherever it appears: URL, headers,
// bodies, in plain and URL-encoded form.
import type { Collector } from '../../language/generated/collector.types.ts';
import { SecretResolver } from '../../core/secrets.ts';
import { secretReferences } from '../../language/secret-references.ts';

export const REDACTED = '[REDACTED]';

/** Headers whose value is a credential, whatever the collector says. */
const SENSITIVE_HEADERS: readonly string[] = ['authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'x-api-key'];

/** Every `${env:...}` / `${ssm:...}` text in the parts of a request the engine resolves. */
function collectorSecretTexts(collector: Collector): string[] {
  const texts: string[] = [];
  const walk = (value: unknown): void => {
    if (typeof value === 'string') {
      if (secretReferences(value).length > 0) texts.push(value);
    } else if (Array.isArray(value)) value.forEach(walk);
    else if (value !== null && typeof value === 'object') Object.values(value).forEach(walk);
  };
  const r = collector.request;
  walk(r?.headers);
  walk(r?.query);
  walk(r?.body);
  return texts;
}

/**
 * The environment a replay runs with: the real value of each secret the collector
 * references when it is set, a stand-in otherwise, so that CI replays need no
 * secret at all. Both are redacted the same way, so request keys still match.
 */
export function replayEnv(collector: Collector, env: Readonly<Record<string, string | undefined>>): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = { ...env };
  for (const text of collectorSecretTexts(collector)) {
    for (const ref of secretReferences(text)) {
      if (ref.source === 'env' && out[ref.key] === undefined) out[ref.key] = `collect-replay-${ref.key}`;
    }
  }
  return out;
}

export class Redactor {
  private constructor(
    private readonly resolver: SecretResolver,
    private readonly forms: string[],
  ) {}

  /**
   * Resolves the collector's `${env:...}` references as the engine will, so their
   * values are known before the first request. `${ssm:...}` cannot be resolved
   * locally; a collector using one cannot be recorded here anyway.
   */
  static async forCollector(collector: Collector, env: Readonly<Record<string, string | undefined>>): Promise<Redactor> {
    const resolver = new SecretResolver(env);
    const forms = new Set<string>();
    for (const text of collectorSecretTexts(collector)) {
      for (const ref of secretReferences(text)) {
        if (ref.source !== 'env') continue;
        const value = env[ref.key];
        // The resolver ignores values this short too: redacting them would mangle ordinary text.
        if (value === undefined || value.length < 4) continue;
        await resolver.resolve(ref.text);
        for (const form of encodings(value)) forms.add(form);
      }
    }
    // Longest first, so a value that contains another is replaced whole.
    return new Redactor(
      resolver,
      [...forms].sort((a, b) => b.length - a.length),
    );
  }

  static none(): Redactor {
    return new Redactor(new SecretResolver({}), []);
  }

  text(text: string): string {
    let out = this.resolver.redact(text);
    for (const form of this.forms) out = out.split(form).join(REDACTED);
    return out;
  }

  headers(headers: Record<string, string>): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [name, value] of Object.entries(headers))
      out[name] = SENSITIVE_HEADERS.includes(name.toLowerCase()) ? REDACTED : this.text(value);
    return out;
  }
}

/** A value as it may appear in a URL or form body as well as verbatim. */
function encodings(value: string): string[] {
  return [value, encodeURIComponent(value), new URLSearchParams({ v: value }).toString().slice(2)];
}
