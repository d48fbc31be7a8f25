// The collector's `request` block with every default filled in: the one
// place the schema's defaults for fetching live in code.
import type { Collector } from '../../language/generated/collector.types.ts';
import { parseAllowList } from './guard.ts';
import type { FetchPolicy } from './types.ts';

export const DEFAULT_USER_AGENT = 'collect/0.1 (+https://github.com/collect-dev/collect)';

export const DEFAULT_RETRY_STATUSES: readonly number[] = Object.freeze([408, 425, 429, 500, 502, 503, 504]);

export const POLICY_DEFAULTS = Object.freeze({
  timeoutSeconds: 30,
  attempts: 3,
  baseDelaySeconds: 0.5,
  maxDelaySeconds: 30,
  concurrency: 8,
  maxResponseBytes: 10 * 1024 * 1024,
  maxRedirects: 10,
});

export interface PolicyOptions {
  /** CLI `--allow-private-network`. */
  allowPrivateNetwork: boolean;
  /** The collector's `network.allow`. */
  allow?: readonly string[];
}

export function resolvePolicy(request: Collector['request'], opts: PolicyOptions): FetchPolicy {
  const r = request ?? {};
  const allow = [...(opts.allow ?? [])];
  // Fail on a bad allow entry now, when the collector is loaded, not at the first request.
  parseAllowList(allow);
  return {
    timeoutMs: Math.round((r.timeoutSeconds ?? POLICY_DEFAULTS.timeoutSeconds) * 1000),
    retry: {
      attempts: r.retries?.attempts ?? POLICY_DEFAULTS.attempts,
      baseDelayMs: Math.round((r.retries?.baseDelaySeconds ?? POLICY_DEFAULTS.baseDelaySeconds) * 1000),
      maxDelayMs: Math.round((r.retries?.maxDelaySeconds ?? POLICY_DEFAULTS.maxDelaySeconds) * 1000),
      statuses: r.retries?.statuses ?? DEFAULT_RETRY_STATUSES,
    },
    acceptStatuses: r.acceptStatuses ?? [],
    maxResponseBytes: r.maxResponseBytes ?? POLICY_DEFAULTS.maxResponseBytes,
    userAgent: r.userAgent ?? DEFAULT_USER_AGENT,
    rateLimit: {
      ...(r.rateLimit?.perSecond !== undefined ? { perSecond: r.rateLimit.perSecond } : {}),
      concurrency: r.rateLimit?.concurrency ?? POLICY_DEFAULTS.concurrency,
    },
    allowPrivateNetwork: opts.allowPrivateNetwork,
    allow,
    maxRedirects: r.maxRedirects ?? POLICY_DEFAULTS.maxRedirects,
  };
}
