// A page token inside a JSON body (`in: body`, `path: variables.after`), as a
// GraphQL API wants it: the first request keeps the author's value (a null
// cursor), each next one gets the token written at the path as a JSON value,
// and what the strategy sends beside it (a limit, a page size) goes in the
// same object. The token is site data: never rendered, never resolved.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileCollector } from '../../runtime/core/engine/compile.ts';
import { planSeeds } from '../../runtime/core/engine/plan.ts';
import { buildRequest } from '../../runtime/core/engine/request.ts';
import { HttpFetcher } from '../../runtime/core/fetch/http-fetcher.ts';
import { strategyOf } from '../../runtime/core/paginate/registry.ts';
import { SecretResolver } from '../../runtime/core/secrets.ts';
import type { Collector } from '../../runtime/language/generated/collector.types.ts';
import { resolveCollector } from '../../runtime/language/resolve.ts';
import { formatTry, tryPage } from '../../runtime/tools/review/try-page.ts';
import { jsonCollector, runInMemory } from '../helpers/collector.ts';
import { startPagingSite, type PagingSite } from './paging-site.ts';

let site: PagingSite;
beforeAll(async () => (site = await startPagingSite()));
afterAll(() => site.close());

const QUERY = 'query Items($after: String, $first: Int) { items(after: $after, first: $first, q: "{{ term }}") { nodes { id } } }';
const OTHER = 'aws-secret-0123456789abcdef';

function graphql(path = '/graphql', over: Partial<Collector> = {}): Collector {
  return jsonCollector(`${site.url}${path}`, {
    variables: { term: 'books' },
    request: { method: 'POST', body: { json: { query: QUERY, variables: { after: null, first: 10 } } } },
    extract: { items: 'data.items.nodes', fields: { id: { path: 'id', type: 'integer', required: true } } },
    paginate: {
      type: 'cursor',
      tokenPath: 'data.items.pageInfo.endCursor',
      in: 'body',
      path: 'variables.after',
      stop: { hasMore: 'data.items.pageInfo.hasNextPage' },
    },
    ...over,
  });
}

const bodies = (path: string) =>
  site.requestsTo(path).map((r) => JSON.parse(r.body) as { query: string; variables: Record<string, unknown> });

describe('a cursor at a path inside the JSON body', () => {
  it('a GraphQL-like endpoint reads variables.after from each POST body, until hasNextPage is false', async () => {
    const before = site.requestsTo('/graphql').length;
    const { sink } = await runInMemory(graphql());
    expect(sink.records().map((r) => r.id)).toEqual(Array.from({ length: 25 }, (_, i) => 25 - i));
    const sent = bodies('/graphql').slice(before);
    expect(sent.map((b) => b.variables)).toEqual([
      { after: null, first: 10 }, // the author's value on the first page
      { after: Buffer.from('10').toString('base64url'), first: 10 },
      { after: Buffer.from('20').toString('base64url'), first: 10 },
    ]);
    // The author's text is rendered on every page; the rest of the body is left as written.
    for (const b of sent) expect(b.query).toBe(QUERY.replace('{{ term }}', 'books'));
    for (const r of site.requestsTo('/graphql').slice(before)) expect(r.method).toBe('POST');
  });

  it('a token that reads like a template or a secret reference is written at the path as it is', async () => {
    const { sink } = await runInMemory(graphql('/graphql-hostile'), { env: { AWS_SECRET_ACCESS_KEY: OTHER } });
    const [, second] = site.requestsTo('/graphql-hostile');
    expect(second, 'the second page was asked for').toBeDefined();
    expect(JSON.parse(second!.body)).toEqual({
      query: QUERY.replace('{{ term }}', 'books'),
      variables: { after: '${env:AWS_SECRET_ACCESS_KEY}{{ name }}', first: 10 },
    });
    expect(JSON.stringify(second)).not.toContain(OTHER);
    expect(sink.records().map((r) => r.id)).toEqual([1, 2]);
  });

  it('makes the objects a path needs, and names the token by the last key when param is left out', async () => {
    const c = resolveCollector(
      jsonCollector('https://api.example.com/graphql', {
        request: { method: 'POST', body: { json: { query: '{ x }' } } },
        paginate: { type: 'cursor', tokenPath: 'next', in: 'body', path: 'input.page.cursor' },
      }),
    );
    const compiled = compileCollector(c);
    const [task] = planSeeds(c, { runId: '20240101T000000Z' });
    const request = await buildRequest(compiled, task!, { url: task!.url, token: 'abc' }, new SecretResolver({}));
    expect(JSON.parse(request.body!)).toEqual({ query: '{ x }', input: { page: { cursor: 'abc' } } });
    expect(strategyOf(c.paginate!).slot(c.paginate!)).toEqual({ param: 'cursor', in: 'body', path: ['input', 'page', 'cursor'] });
  });

  it('fails the next page with an error that says where, when the path runs through a value that is not an object', async () => {
    // (Lint refuses such a collector; this is what the engine does if one runs anyway.)
    const c = graphql('/graphql', {
      request: { method: 'POST', body: { json: { query: QUERY, variables: 'oops' } } },
    });
    const { manifest, sink, failures } = await runInMemory(c);
    // The first page sends no token, so the author's body goes as written.
    expect(sink.records()).toHaveLength(10);
    expect(manifest.failures).toBe(1);
    expect(failures.map((f) => f.message)).toEqual([
      'request.body.json.variables is not an object, so nothing can be written at variables.after',
    ]);
  });
});

describe('page numbers and offsets at a body path', () => {
  const request = async (paginate: Collector['paginate'], token: number) => {
    const c = resolveCollector(
      jsonCollector('https://api.example.com/graphql', {
        request: { method: 'POST', body: { json: { query: '{ x }', variables: { offset: 99, page: 99 } } } },
        paginate,
      }),
    );
    const [task] = planSeeds(c, { runId: '20240101T000000Z' });
    const built = await buildRequest(compileCollector(c), task!, { url: task!.url, token }, new SecretResolver({}));
    return { first: task!.token, body: JSON.parse(built.body!) as Record<string, unknown>, url: built.url };
  };

  it('offset: the offset at the path, the limit beside it', async () => {
    const { first, body, url } = await request({ type: 'offset', limit: 50, in: 'body', path: 'variables.offset' }, 100);
    expect(first).toBe(0);
    expect(body).toEqual({ query: '{ x }', variables: { offset: 100, page: 99, limit: 50 } });
    expect(url).toBe('https://api.example.com/graphql');
  });

  it('page-number: the page at the path, the page size beside it', async () => {
    const { body } = await request(
      { type: 'page-number', in: 'body', path: 'variables.page', pageSize: { param: 'per_page', value: 20 } },
      3,
    );
    expect(body).toEqual({ query: '{ x }', variables: { offset: 99, page: 3, per_page: 20 } });
  });
});

describe('collect try and explain', () => {
  it('try shows the next request with the token in its body', async () => {
    const fetcher = new HttpFetcher();
    try {
      const r = await tryPage({ collector: resolveCollector(graphql()), fetcher, env: {}, allowPrivateNetwork: true });
      const next = r.next as { url: string; token?: string; body?: string };
      expect(next.token).toBe(Buffer.from('10').toString('base64url'));
      expect(JSON.parse(next.body!)).toMatchObject({ variables: { after: next.token, first: 10 } });
      expect(formatTry(r)).toContain(`    body "{\\"query\\"`);
    } finally {
      await fetcher.close();
    }
  });

  it('explain says the token goes in a JSON body field', () => {
    const c = resolveCollector(graphql());
    expect(strategyOf(c.paginate!).describe(c.paginate!).how).toBe(
      'sends the token from `data.items.pageInfo.endCursor` of each response as the JSON body field `variables.after`',
    );
  });
});
