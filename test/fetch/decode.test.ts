import { Readable } from 'node:stream';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { parseContentEncoding, readBody } from '../../runtime/core/fetch/decode.ts';
import { DecodeError, ResponseTooLargeError } from '../../runtime/core/fetch/errors.ts';

const url = 'http://example.test/';
const text = 'hello, decoded world '.repeat(200);

function chunked(data: Buffer, size = 7): Readable {
  const parts: Buffer[] = [];
  for (let i = 0; i < data.length; i += size) parts.push(data.subarray(i, i + size));
  return Readable.from(parts);
}

describe('parseContentEncoding', () => {
  it('lists codings in the order they were applied, ignoring identity', () => {
    expect(parseContentEncoding(undefined, url)).toEqual([]);
    expect(parseContentEncoding('identity', url)).toEqual([]);
    expect(parseContentEncoding('GZIP', url)).toEqual(['gzip']);
    expect(parseContentEncoding('x-gzip, identity, br', url)).toEqual(['gzip', 'br']);
  });

  it('refuses codings it cannot undo', () => {
    expect(() => parseContentEncoding('gzip, zstd', url)).toThrow(DecodeError);
    expect(() => parseContentEncoding('compress', url)).toThrow(/unsupported Content-Encoding "compress"/);
  });
});

describe('readBody', () => {
  it('undoes stacked codings in reverse order, however the bytes are split', async () => {
    const wire = zlib.brotliCompressSync(zlib.gzipSync(text));
    const { data, rawBytes } = await readBody(chunked(wire), { url, maxBytes: 1 << 20, codings: ['gzip', 'br'] });
    expect(data.toString()).toBe(text);
    expect(rawBytes).toBe(wire.length);
  });

  it('returns an empty body for an empty encoded stream', async () => {
    const { data } = await readBody(Readable.from([]), { url, maxBytes: 1024, codings: ['gzip'] });
    expect(data.length).toBe(0);
  });

  it('caps the raw bytes', async () => {
    await expect(readBody(chunked(Buffer.alloc(5000), 1000), { url, maxBytes: 4096, codings: [] })).rejects.toBeInstanceOf(
      ResponseTooLargeError,
    );
  });

  it('caps the decompressed bytes even when the compressed ones are tiny', async () => {
    const wire = zlib.gzipSync(Buffer.alloc(50 * 1024 * 1024));
    expect(wire.length).toBeLessThan(100 * 1024);
    const err = await readBody(chunked(wire, 16 * 1024), { url, maxBytes: 1 << 20, codings: ['gzip'] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ResponseTooLargeError);
    expect((err as Error).message).toContain('decompressed body');
  });

  it('passes the stream’s own errors on unchanged', async () => {
    const broken = new Readable({ read() {} });
    const pending = readBody(broken, { url, maxBytes: 1024, codings: [] });
    broken.destroy(new Error('socket gone'));
    await expect(pending).rejects.toThrow('socket gone');
  });
});
