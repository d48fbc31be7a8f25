// `${session:NAME}` in request text: a value a login step took, inserted as it
// is (a value that looks like a reference or a template is never read again),
// a name no step took is a clear error, and a request built before the login
// carries the reference as written, to be built again with the session's values.
import { describe, expect, it } from 'vitest';
import { compileCollector } from '../../runtime/core/engine/compile.ts';
import { buildRequest, detailRequest, detailRequestParts } from '../../runtime/core/engine/request.ts';
import type { Task } from '../../runtime/core/engine/task.ts';
import { SecretResolver } from '../../runtime/core/secrets.ts';
import { resolveCollector } from '../../runtime/language/resolve.ts';

describe('${session:NAME}', () => {
  it('inserts a taken value as it is, never reading it for a reference or a placeholder', async () => {
    const secrets = new SecretResolver({ HOME: '/home/secret-user', SITE_KEY: 'key-123456' });
    const text = await secrets.expand(
      'Bearer ${session:token} for {{ name }} with ${env:SITE_KEY}',
      { name: 'members' },
      {
        token: '${env:HOME}{{ name }}',
      },
    );
    expect(text).toBe('Bearer ${env:HOME}{{ name }} for members with key-123456');
  });

  it('names the value no login step took', async () => {
    const secrets = new SecretResolver({});
    await expect(secrets.expand('${session:tokn}', {}, { token: 'abc' })).rejects.toThrow(
      '${session:tokn}: no login step of session.login took tokn',
    );
  });

  it('leaves a page request built before the login to be built again with the session values', async () => {
    const compiled = compileCollector(
      resolveCollector({
        name: 'members',
        start: { urls: ['https://example.com/items'] },
        request: { headers: { Authorization: 'Bearer ${session:token}' }, query: { csrf: '${session:csrf}' } },
        extract: { fields: { title: 'h1' } },
        output: 's3://bucket/{{ name }}',
      }),
    );
    const task: Task = {
      id: 't',
      collector: 'members',
      runId: '20240101T000000Z',
      url: 'https://example.com/items',
      vars: {},
      page: 1,
      hop: 1,
      recent: [],
    } as unknown as Task;
    const secrets = new SecretResolver({});
    const request = await buildRequest(compiled, task, { url: task.url }, secrets);
    expect(request.headers.authorization).toBe('Bearer ${session:token}');
    const sent = await request.withSession!({ token: 't0k3n-value', csrf: 'a&b=c' });
    expect(sent.headers.authorization).toBe('Bearer t0k3n-value');
    expect(sent.url).toBe('https://example.com/items?csrf=a%26b%3Dc');
    expect(sent.withSession).toBeUndefined();

    const detail = detailRequest('https://example.com/items/1', await detailRequestParts(compiled, task, secrets));
    const detailSent = await detail.withSession!({ token: 'second', csrf: 'x' });
    expect(detailSent).toEqual({ url: 'https://example.com/items/1?csrf=x', method: 'GET', headers: { authorization: 'Bearer second' } });
  });

  it('builds a request without session values once, as before', async () => {
    const compiled = compileCollector(
      resolveCollector({
        name: 'plain',
        start: { urls: ['https://example.com/items'] },
        request: { headers: { Accept: 'text/html' } },
        extract: { fields: { title: 'h1' } },
        output: 's3://bucket/{{ name }}',
      }),
    );
    const task = {
      id: 't',
      collector: 'plain',
      runId: '20240101T000000Z',
      url: 'https://example.com/items',
      vars: {},
      page: 1,
      hop: 1,
      recent: [],
    } as unknown as Task;
    const request = await buildRequest(compiled, task, { url: task.url }, new SecretResolver({}));
    expect(request.withSession).toBeUndefined();
  });
});
