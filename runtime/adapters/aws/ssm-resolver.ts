// `${ssm:/path}` on Lambda: Powertools Parameters fetches the parameter
// (decrypted) and caches it for `maxAgeSeconds` across invocations of a warm
// container. Values are never logged; errors name the path only. The provider
// (and its SSM client) is made on the first lookup, so collectors without SSM
// secrets never pay for it.
import type { SSMClient } from '@aws-sdk/client-ssm';
import { SSMProvider } from '@aws-lambda-powertools/parameters/ssm';
import { SecretError, type SsmResolver } from '../../core/secrets.ts';

export interface SsmResolverOptions {
  /** Default: a client of Powertools' own, configured from the environment. */
  client?: SSMClient;
  /** Cache lifetime. Default 300 s. */
  maxAgeSeconds?: number;
}

export class PowertoolsSsmResolver implements SsmResolver {
  private provider?: SSMProvider;
  private readonly maxAge: number;

  constructor(private readonly options: SsmResolverOptions = {}) {
    this.maxAge = options.maxAgeSeconds ?? 300;
  }

  async get(path: string): Promise<string> {
    this.provider ??= new SSMProvider(this.options.client ? { awsSdkV3Client: this.options.client } : {});
    const provider = this.provider;
    let value: unknown;
    try {
      value = await provider.get(path, { decrypt: true, maxAge: this.maxAge });
    } catch (err) {
      const cause = err instanceof Error ? (err.cause instanceof Error ? err.cause.name : err.name) : 'Error';
      throw new SecretError(`\${ssm:${path}}: the parameter could not be read (${cause})`);
    }
    if (typeof value !== 'string') throw new SecretError(`\${ssm:${path}}: the parameter does not exist or is not a string`);
    return value;
  }
}
