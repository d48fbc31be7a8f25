// The route's check of a host name: resolved, and every address it resolves
// to checked by the guard, as the HTTP fetcher's lookup does at connect time.
// (The guard proxy checks again when it connects, so an answer that changes
// between the two, DNS rebinding, is still refused.)
import dns from 'node:dns';
import type { NetworkGuard, Resolver } from '../fetch/guard.ts';

const systemResolver: Resolver = (hostname, options) =>
  dns.promises.lookup(hostname, { all: true, family: options.family ?? 0, hints: options.hints ?? 0 });

export interface ResolvedRefusal {
  address: string;
  reason: string;
  metadata: boolean;
}

/** Why the guard refuses `hostname`'s addresses, or undefined (a name that does not resolve fails later, in the browser). */
export async function resolvedVerdict(
  guard: NetworkGuard,
  hostname: string,
  resolver: Resolver = systemResolver,
): Promise<ResolvedRefusal | undefined> {
  let addresses: { address: string }[];
  try {
    addresses = await resolver(hostname, {});
  } catch {
    return undefined;
  }
  for (const { address } of addresses) {
    const verdict = guard.checkResolved(hostname, address);
    if (!verdict.allowed) return { address: `${hostname} (${address})`, reason: verdict.reason, metadata: verdict.metadata ?? false };
  }
  return undefined;
}
