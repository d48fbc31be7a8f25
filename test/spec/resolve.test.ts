// Resolve once: every default of the schema is applied by one step, so nothing
// downstream writes `?? default`.
import { describe, expect, it } from 'vitest';
import type { Collector } from '../../runtime/language/generated/collector.types.ts';
import { resolveCollector, resolveRequest } from '../../runtime/language/resolve.ts';

const minimal: Collector = { name: 'x', start: { urls: ['https://x.test/'] }, extract: { fields: { a: 'h1' } }, output: 's3://b/p' };

describe('resolveCollector', () => {
  it('fills the defaults of every block that always exists', () => {
    const r = resolveCollector(minimal);
    expect(r.parse).toBe('auto');
    expect(r.variables).toEqual({});
    expect(r.request).toMatchObject({
      method: 'GET',
      headers: {},
      query: {},
      timeoutSeconds: 30,
      acceptStatuses: [],
      maxRedirects: 10,
      maxResponseBytes: 10_485_760,
    });
    expect(r.request.retries).toEqual({
      attempts: 3,
      baseDelaySeconds: 0.5,
      maxDelaySeconds: 30,
      statuses: [408, 425, 429, 500, 502, 503, 504],
    });
    expect(r.request.rateLimit).toEqual({ concurrency: 8 });
    expect(r.network).toEqual({ allow: [] });
    expect(r.scaling).toEqual({ batchSize: 5, batchingWindowSeconds: 0, maxConcurrency: 2, pagesPerTask: 50 });
    expect(r.records).toEqual({});
  });

  it('leaves out what is off unless written: pagination, follow, schedule, expectations', () => {
    const r = resolveCollector(minimal);
    expect(r.paginate).toBeUndefined();
    expect(r.follow).toBeUndefined();
    expect(r.schedule).toBeUndefined();
    expect(r.expect).toBeUndefined();
  });

  it('chooses the pagination branch by its type, and fills its stop rules', () => {
    const r = resolveCollector({ ...minimal, paginate: { type: 'offset', limit: 20 } });
    expect(r.paginate).toEqual({
      type: 'offset',
      limit: 20,
      offsetParam: 'offset',
      limitParam: 'limit',
      start: 0,
      in: 'query',
      stop: { emptyPage: true },
    });
    const cursor = resolveCollector({ ...minimal, paginate: { type: 'cursor', param: 'c', tokenPath: 'next' } });
    expect(cursor.paginate).toEqual({ type: 'cursor', param: 'c', tokenPath: 'next', in: 'query', stop: { emptyPage: true } });
  });

  it('fills nested follow-ups and schedules', () => {
    const r = resolveCollector({
      ...minimal,
      follow: { field: 'u', extract: { fields: { b: 'p' } }, follow: { selector: 'a', extract: { fields: { c: 'p' } } } },
      schedule: { expression: 'rate(1 day)' },
    });
    expect(r.follow).toMatchObject({ attribute: 'href', parse: 'auto', maxDepth: 3, follow: { attribute: 'href', parse: 'auto' } });
    expect(r.schedule).toEqual({ expression: 'rate(1 day)', timezone: 'UTC', flexibleWindowMinutes: 0, enabled: true });
  });

  it('keeps what the author wrote and never changes its input', () => {
    const written: Collector = { ...minimal, request: { retries: { attempts: 0 } }, scaling: { pagesPerTask: 5 } };
    const before = structuredClone(written);
    const r = resolveCollector(written);
    expect(r.request.retries.attempts).toBe(0);
    expect(r.scaling.pagesPerTask).toBe(5);
    expect(written).toEqual(before);
    expect(resolveCollector(r as Collector)).toEqual(r);
  });

  it('fills date variables', () => {
    const r = resolveCollector({ ...minimal, variables: { day: { dates: { from: '-2d' } }, n: { range: { from: 1, to: 2 } } } });
    expect(r.variables.day).toEqual({ dates: { from: '-2d', to: 'today', step: '1d', format: 'yyyy-MM-dd', timezone: 'UTC' } });
    expect(r.variables.n).toEqual({ range: { from: 1, to: 2, step: 1 } });
  });
});

describe('resolveRequest', () => {
  it('resolves a request block alone', () => {
    expect(resolveRequest({ timeoutSeconds: 5 })).toMatchObject({ timeoutSeconds: 5, method: 'GET', retries: { attempts: 3 } });
  });
});
