// The HAR replayer and recorder against a real local server: exchanges come
// back as they were recorded, statuses are judged by the replay's policy, the
// same request asked twice gets its answers in order, and a POST is told apart
// by its body.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpStatusError } from '../../runtime/core/fetch/errors.ts';
import { HttpFetcher } from '../../runtime/core/fetch/http-fetcher.ts';
import { resolvePolicy } from '../../runtime/core/fetch/policy.ts';
import { Redactor } from '../../runtime/tools/review/redact.ts';
import { HarRecorder } from '../../runtime/tools/review/recorder.ts';
import { HarReplayer, RequestNotRecordedError } from '../../runtime/tools/review/replayer.ts';
import { resolveRequest } from '../../runtime/language/resolve.ts';

let server: Server;
let base: string;
let counter = 0;
beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      if (req.url === '/missing') {
        res.writeHead(404, { 'content-type': 'text/plain' });
        res.end('gone');
        return;
      }
      if (req.url === '/moved') {
        res.writeHead(302, { location: '/count' });
        res.end();
        return;
      }
      res.writeHead(200, { 'content-type': 'text/plain', 'x-n': String(++counter) });
      res.end(`${req.method} ${req.url} ${body} #${counter}`);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const policy = (acceptStatuses: number[] = []) => ({
  ...resolvePolicy(resolveRequest({ retries: { attempts: 0 }, acceptStatuses }), { allowPrivateNetwork: true }),
});
const get = (path: string) => ({ url: base + path, method: 'GET', headers: {} });

describe('HarRecorder + HarReplayer', () => {
  it('replays what was recorded, with no server', async () => {
    const recorder = new HarRecorder(new HttpFetcher(), Redactor.none());
    const a = await recorder.fetch(get('/count'), policy());
    const b = await recorder.fetch(get('/count'), policy());
    const moved = await recorder.fetch(get('/moved'), policy());
    const post1 = await recorder.fetch(
      { url: `${base}/post`, method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"q":1}' },
      policy(),
    );
    const post2 = await recorder.fetch(
      { url: `${base}/post`, method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"q":2}' },
      policy(),
    );
    await expect(recorder.fetch(get('/missing'), policy())).rejects.toBeInstanceOf(HttpStatusError);
    await recorder.close();
    const entries = recorder.entries();
    expect(entries).toHaveLength(6);
    expect(entries[2]!._finalUrl).toBe(`${base}/count`);
    expect(entries[5]).toMatchObject({ response: { status: 404 }, _error: { name: 'HttpStatusError', status: 404 } });

    const replayer = new HarReplayer(entries, { harFile: 'x.har', collectorFile: 'x.yaml', redactor: Redactor.none() });
    const ra = await replayer.fetch(get('/count'), policy());
    expect(ra).toMatchObject({ status: 200, text: a.text, bytes: a.bytes, fetchedAt: a.fetchedAt, headers: { 'x-n': a.headers['x-n'] } });
    // The second identical request gets the second answer, and after that the last one again.
    expect((await replayer.fetch(get('/count'), policy())).text).toBe(b.text);
    expect((await replayer.fetch(get('/count'), policy())).text).toBe(b.text);
    expect((await replayer.fetch(get('/moved'), policy())).url).toBe(moved.url);
    const p2 = await replayer.fetch({ url: `${base}/post`, method: 'POST', headers: {}, body: '{"q":2}' }, policy());
    const p1 = await replayer.fetch({ url: `${base}/post`, method: 'POST', headers: {}, body: '{"q":1}' }, policy());
    expect([p1.text, p2.text]).toEqual([post1.text, post2.text]);

    // A recorded 404 fails as it did, or becomes an empty page once the collector accepts it.
    await expect(replayer.fetch(get('/missing'), policy())).rejects.toMatchObject({ name: 'HttpStatusError', status: 404 });
    expect(await replayer.fetch(get('/missing'), policy([404]))).toMatchObject({ status: 404, acceptedEmpty: true, text: '' });

    await expect(replayer.fetch(get('/other'), policy())).rejects.toBeInstanceOf(RequestNotRecordedError);
    await expect(replayer.fetch({ url: `${base}/post`, method: 'POST', headers: {}, body: '{"q":3}' }, policy())).rejects.toThrow(
      `POST ${base}/post is not in x.har; re-record with collect record x.yaml`,
    );
    expect(replayer.misses.map((m) => m.url)).toEqual([`${base}/other`, `${base}/post`]);
  });
});
