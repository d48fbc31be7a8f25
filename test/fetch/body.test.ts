import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DecodeError, ResponseTooLargeError } from '../../runtime/core/fetch/errors.ts';
import { HttpFetcher } from '../../runtime/core/fetch/http-fetcher.ts';
import { BOMB_INFLATED_BYTES, LATIN1_TEXT, PAGE_HTML, bomb, startFaultSite, streamBytes } from '../helpers/fault-site.ts';
import type { FaultSite } from '../helpers/fault-site.ts';
import { get, localPolicy } from './support.ts';

let site: FaultSite;
const fetcher = new HttpFetcher();

beforeAll(async () => {
  site = await startFaultSite();
  // Made once per process, before the bomb tests.
  await Promise.all([bomb('gzip'), bomb('deflate'), bomb('br')]);
});
afterAll(async () => {
  await fetcher.close();
  await site.close();
});

const CAP = 1024 * 1024;
const capped = localPolicy({ maxResponseBytes: CAP });
const BIG = 64 * 1024 * 1024;

/**
 * Serves BIG bytes at `path` like /big, and resolves with how many of them the
 * server got to hand to its socket before the client went away. A client that
 * reads (or drains) the whole body makes that BIG; one that drops the
 * connection leaves it at what the socket buffers took, a few MiB at most.
 */
function servedBytes(path: string, chunked: boolean): Promise<number> {
  return new Promise((resolve) => site.route(path, async (_req, res) => resolve(await streamBytes(res, BIG, chunked))));
}

/** Counts the bytes every decompressor made while `run` ran (the decoder makes its streams with node:zlib's factories). */
async function inflatedBytes(run: () => Promise<unknown>): Promise<number> {
  let bytes = 0;
  const factories = ['createGunzip', 'createInflate', 'createInflateRaw', 'createBrotliDecompress'] as const;
  const spies = factories.map((name) => {
    const original = zlib[name] as (options?: object) => import('node:stream').Transform;
    return vi.spyOn(zlib, name).mockImplementation(((options?: object) => {
      const stream = original(options);
      stream.on('data', (chunk: Buffer) => (bytes += chunk.length));
      return stream;
    }) as never);
  });
  try {
    await run();
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
  return bytes;
}

describe('size cap', () => {
  it('refuses a declared Content-Length over the cap without reading it', async () => {
    const served = servedBytes('/counted/declared', false);
    const err = await fetcher.fetch(get(site.at('/counted/declared')), capped).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ResponseTooLargeError);
    expect((err as Error).message).toContain('declared content-length');
    // The connection was dropped, not drained: the server never got to send the 64 MiB.
    expect(await served).toBeLessThan(BIG / 4);
    // Not retryable: one hit.
    expect(site.hits('/counted/declared')).toBe(1);
  });

  it('stops a chunked body once it passes the cap', async () => {
    const served = servedBytes('/counted/chunked', true);
    const err = await fetcher.fetch(get(site.at('/counted/chunked')), capped).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ResponseTooLargeError);
    expect((err as ResponseTooLargeError).limit).toBe(CAP);
    expect(await served).toBeGreaterThan(CAP);
    expect(await served).toBeLessThan(BIG / 4);
    expect(site.hits('/counted/chunked')).toBe(1);
  });

  it('accepts a body right at the cap', async () => {
    const res = await fetcher.fetch(get(site.at('/big?bytes=1048576&chunked=1')), capped);
    expect(res.text.length).toBe(1024 * 1024);
    expect(res.bytes).toBe(1024 * 1024);
  });

  it.each(['gzip', 'deflate', 'br'] as const)('stops a %s bomb early, on the decompressed size', async (kind) => {
    const compressed = (await bomb(kind)).length;
    expect(compressed).toBeLessThan(300 * 1024);
    expect(BOMB_INFLATED_BYTES).toBeGreaterThan(100 * 1024 * 1024);
    const rssBefore = process.memoryUsage().rss;
    let err: unknown;
    const inflated = await inflatedBytes(async () => {
      err = await fetcher.fetch(get(site.at(`/${kind}-bomb`)), capped).catch((e: unknown) => e);
    });
    expect(err).toBeInstanceOf(ResponseTooLargeError);
    expect((err as Error).message).toContain('decompressed body');
    // Inflation stopped a few 64 KiB chunks past the cap, out of 200 MiB.
    expect(inflated).toBeGreaterThan(CAP);
    expect(inflated).toBeLessThan(4 * CAP);
    // Inflating the whole bomb would take 200 MB.
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(64 * 1024 * 1024);
  });
});

describe('content encodings', () => {
  it.each(['/gzip', '/deflate', '/deflate-raw', '/br'])('decodes %s', async (path) => {
    const res = await fetcher.fetch(get(site.at(path)), localPolicy());
    expect(res.text).toBe(PAGE_HTML);
    // Bytes on the wire are the compressed ones.
    expect(res.bytes).toBe(Number(res.headers['content-length']));
    expect(res.bytes).toBeLessThan(Buffer.byteLength(PAGE_HTML));
  });

  it('fails with DecodeError, without retrying, on a body that is not what it says', async () => {
    const err = await fetcher.fetch(get(site.at('/bad-gzip')), localPolicy()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DecodeError);
    expect(site.hits('/bad-gzip')).toBe(1);
  });

  it('fails with DecodeError on an encoding it did not ask for', async () => {
    site.route('/zstd', (_req, res) => {
      res.writeHead(200, { 'content-encoding': 'zstd', 'content-type': 'text/plain' });
      res.end('whatever');
    });
    const err = await fetcher.fetch(get(site.at('/zstd')), localPolicy()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DecodeError);
    expect((err as Error).message).toContain('zstd');
  });
});

describe('charsets', () => {
  it.each(['/charset/latin1-header', '/charset/meta', '/charset/http-equiv'])('decodes the windows-1252 page %s', async (path) => {
    const res = await fetcher.fetch(get(site.at(path)), localPolicy());
    expect(res.text).toContain(LATIN1_TEXT);
  });

  it('reads an undeclared page as UTF-8 (and so garbles latin-1 bytes)', async () => {
    const res = await fetcher.fetch(get(site.at('/charset/missing')), localPolicy());
    expect(res.text).not.toContain(LATIN1_TEXT);
    expect(res.text).toContain('Caf\uFFFD cr\uFFFDme');
  });

  it('falls back to UTF-8 for an unknown charset label', async () => {
    const res = await fetcher.fetch(get(site.at('/charset/unknown')), localPolicy());
    expect(res.text).toBe(`<p>${LATIN1_TEXT}</p>`);
  });

  it('lets a byte order mark win over the header', async () => {
    const res = await fetcher.fetch(get(site.at('/charset/utf8-bom')), localPolicy());
    expect(res.text).toBe(`<p>${LATIN1_TEXT}</p>`);
  });
});

describe('malformed bodies pass through untouched', () => {
  it('returns malformed HTML and JSON as text; parsing is not the fetcher’s job', async () => {
    const html = await fetcher.fetch(get(site.at('/malformed/html')), localPolicy());
    expect(html.text).toContain('<p>one<p>two &bogus; < 3');
    const json = await fetcher.fetch(get(site.at('/malformed/json')), localPolicy());
    expect(json.headers['content-type']).toBe('application/json');
    expect(() => JSON.parse(json.text)).toThrow();
  });
});
