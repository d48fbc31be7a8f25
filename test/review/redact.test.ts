// A secret passed as ${env:TOKEN} never reaches a recording: not in the URL,
// the headers, the request body or a response that echoes it; credential
// headers are redacted whatever their value. The replay still finds every
// request, with or without the secret set.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redactor, REDACTED } from '../../runtime/tools/review/redact.ts';
import { recordRun, replayRun } from '../../runtime/tools/review/session.ts';
import type { Collector } from '../../runtime/language/generated/collector.types.ts';
import { resolveCollector } from '../../runtime/language/resolve.ts';

const TOKEN = 'tok-SECRET-12345/+=';
const COOKIE = 'session=abc123cookievalue';
let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      // Echoes everything back, as some APIs do in error bodies.
      const echo = { url: req.url, headers: req.headers, body };
      res.writeHead(200, { 'content-type': 'application/json', 'set-cookie': COOKIE, 'x-echo-auth': String(req.headers.authorization) });
      res.end(
        JSON.stringify({
          items: [
            { id: 1, name: 'one' },
            { id: 2, name: 'two' },
          ],
          echo,
        }),
      );
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

function collector(): Collector {
  return {
    name: 'secret-api',
    variables: { base_url: base },
    start: { urls: ['{{ base_url }}/items'] },
    request: {
      method: 'POST',
      headers: { Authorization: 'Bearer ${env:TOKEN}', 'X-Api-Key': 'k-${env:TOKEN}', 'X-Other': 'plain ${env:TOKEN}', Cookie: 'sid=1' },
      query: { key: '${env:TOKEN}' },
      body: { json: { token: '${env:TOKEN}', q: 'books' } },
    },
    parse: 'json',
    extract: { items: 'items', fields: { id: { path: 'id', type: 'integer' }, name: 'name' } },
    output: 's3://bucket/secret-api',
  };
}

describe('redaction of recordings', () => {
  it('keeps a secret given by ${env:TOKEN} out of the HAR, in every form', async () => {
    const loaded = { file: 'collectors/secret-api.yaml', collector: resolveCollector(collector()), hash: 'h' };
    const { har, records } = await recordRun({ loaded, allowPrivateNetwork: true, env: { TOKEN } });
    expect(records).toHaveLength(2);
    const text = JSON.stringify(har);
    for (const form of [TOKEN, encodeURIComponent(TOKEN), JSON.stringify(TOKEN).slice(1, -1), 'abc123cookievalue'])
      expect(text).not.toContain(form);
    // The first entry is robots.txt (obeyed by default), which carries none of the collector's headers.
    expect(har.log.entries[0]!.request.url).toBe(`${base}/robots.txt`);
    const entry = har.log.entries[1]!;
    expect(entry.request.method).toBe('POST');
    expect(entry.request.url).toBe(`${base}/items?key=${REDACTED}`);
    const headers = Object.fromEntries(entry.request.headers.map((h) => [h.name, h.value]));
    expect(headers).toMatchObject({ authorization: REDACTED, 'x-api-key': REDACTED, cookie: REDACTED, 'x-other': `plain ${REDACTED}` });
    expect(entry.request.postData?.text).toBe(`{"token":"${REDACTED}","q":"books"}`);
    const responseHeaders = Object.fromEntries(entry.response.headers.map((h) => [h.name, h.value]));
    expect(responseHeaders['set-cookie']).toBe(REDACTED);
    expect(responseHeaders['x-echo-auth']).toBe(`Bearer ${REDACTED}`);

    // Replayed in CI, where TOKEN is not set: the requests still match.
    const replay = await replayRun({ loaded, har, harFile: 'collectors/secret-api.har', collectorFile: loaded.file, env: {} });
    expect(replay.misses).toEqual([]);
    expect(replay.records).toEqual(records);
    // And where it is set.
    const again = await replayRun({ loaded, har, harFile: 'collectors/secret-api.har', collectorFile: loaded.file, env: { TOKEN } });
    expect(again.misses).toEqual([]);
  });

  it('redacts nothing when the collector has no secret, and ignores values too short to be one', async () => {
    const none = await Redactor.forCollector(collector(), { TOKEN: 'ab' });
    expect(none.text('ab abc')).toBe('ab abc');
    expect(none.headers({ Authorization: 'x', accept: 'text/html' })).toEqual({ Authorization: REDACTED, accept: 'text/html' });
  });
});
