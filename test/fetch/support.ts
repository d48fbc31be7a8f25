// Shared set-up for the fetch tests: a policy for a local fault site, with
// quick retries so failing paths finish in milliseconds. The request timeout is
// only a bound on waiting for the local site, so it is generous (a busy machine
// must not turn a slow answer into a TimeoutError); the timeout tests set their own.
import { resolvePolicy } from '../../runtime/core/fetch/policy.ts';
import type { FetchPolicy, FetchRequest } from '../../runtime/core/fetch/types.ts';
import { resolveRequest } from '../../runtime/language/resolve.ts';

export function localPolicy(overrides: Partial<FetchPolicy> = {}): FetchPolicy {
  const base = resolvePolicy(resolveRequest(), { allowPrivateNetwork: false, allow: ['127.0.0.1'] });
  return {
    ...base,
    timeoutMs: 30_000,
    retry: { ...base.retry, baseDelayMs: 5, maxDelayMs: 20 },
    ...overrides,
  };
}

export function get(url: string, headers: Record<string, string> = {}): FetchRequest {
  return { url, method: 'GET', headers };
}
