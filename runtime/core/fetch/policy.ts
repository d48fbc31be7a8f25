// The collector's resolved `request` block in the units the fetcher works in
// (milliseconds, one allow list). Its defaults come from the schema, applied by
// the language layer (runtime/language/resolve.ts), not from here.
import type { ResolvedCollector } from '../../language/generated/resolved.types.ts';
import { parseAllowList } from './guard.ts';
import type { FetchPolicy } from './types.ts';

export interface PolicyOptions {
  /** CLI `--allow-private-network`. */
  allowPrivateNetwork: boolean;
  /** The collector's `network.allow`. */
  allow?: readonly string[];
}

export function resolvePolicy(r: ResolvedCollector['request'], opts: PolicyOptions): FetchPolicy {
  const allow = [...(opts.allow ?? [])];
  // Fail on a bad allow entry now, when the collector is loaded, not at the first request.
  parseAllowList(allow);
  return {
    timeoutMs: Math.round(r.timeoutSeconds * 1000),
    retry: {
      attempts: r.retries.attempts,
      baseDelayMs: Math.round(r.retries.baseDelaySeconds * 1000),
      maxDelayMs: Math.round(r.retries.maxDelaySeconds * 1000),
      statuses: r.retries.statuses,
    },
    acceptStatuses: r.acceptStatuses,
    maxResponseBytes: r.maxResponseBytes,
    userAgent: r.userAgent,
    rateLimit: {
      ...(r.rateLimit.perSecond !== undefined ? { perSecond: r.rateLimit.perSecond } : {}),
      concurrency: r.rateLimit.concurrency,
    },
    allowPrivateNetwork: opts.allowPrivateNetwork,
    allow,
    maxRedirects: r.maxRedirects,
  };
}
