import { describe, expect, it } from 'vitest';
import { InvalidAllowEntryError } from '../../runtime/core/fetch/errors.ts';
import { resolvePolicy } from '../../runtime/core/fetch/policy.ts';
import { resolveRequest } from '../../runtime/language/resolve.ts';

describe('resolvePolicy', () => {
  it('turns the schema defaults into milliseconds', () => {
    expect(resolvePolicy(resolveRequest(), { allowPrivateNetwork: false })).toEqual({
      timeoutMs: 30_000,
      retry: { attempts: 3, baseDelayMs: 500, maxDelayMs: 30_000, statuses: [408, 425, 429, 500, 502, 503, 504] },
      acceptStatuses: [],
      maxResponseBytes: 10 * 1024 * 1024,
      userAgent: 'collect/0.1 (+https://github.com/collect-dev/collect)',
      rateLimit: { concurrency: 8 },
      allowPrivateNetwork: false,
      allow: [],
      maxRedirects: 10,
    });
  });

  it('takes what the collector sets, in milliseconds', () => {
    const policy = resolvePolicy(
      resolveRequest({
        timeoutSeconds: 2.5,
        retries: { attempts: 0, baseDelaySeconds: 1, maxDelaySeconds: 4, statuses: [503] },
        acceptStatuses: [404, 410],
        rateLimit: { perSecond: 2, concurrency: 1 },
        userAgent: 'bot/1',
        maxResponseBytes: 2048,
      }),
      { allowPrivateNetwork: true, allow: ['10.0.0.0/8', 'intranet.local'] },
    );
    expect(policy.timeoutMs).toBe(2_500);
    expect(policy.retry).toEqual({ attempts: 0, baseDelayMs: 1_000, maxDelayMs: 4_000, statuses: [503] });
    expect(policy.acceptStatuses).toEqual([404, 410]);
    expect(policy.rateLimit).toEqual({ perSecond: 2, concurrency: 1 });
    expect(policy.userAgent).toBe('bot/1');
    expect(policy.maxResponseBytes).toBe(2048);
    expect(policy.allowPrivateNetwork).toBe(true);
    expect(policy.allow).toEqual(['10.0.0.0/8', 'intranet.local']);
  });

  it('rejects a malformed allow entry when the policy is made', () => {
    expect(() => resolvePolicy(resolveRequest(), { allowPrivateNetwork: false, allow: ['10.0.0.0/33'] })).toThrow(InvalidAllowEntryError);
    expect(() => resolvePolicy(resolveRequest(), { allowPrivateNetwork: false, allow: ['not a host'] })).toThrow(/network.allow entry/);
  });
});
