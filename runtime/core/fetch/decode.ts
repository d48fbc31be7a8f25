// Reads a response body into one buffer, undoing its Content-Encoding as it
// streams in. `maxBytes` caps both the bytes read off the wire and the bytes
// after decompression, checked chunk by chunk: a gzip bomb is stopped after
// about maxBytes of output, never inflated whole.
import type { Readable, Transform } from 'node:stream';
import zlib from 'node:zlib';
import { DecodeError, ResponseTooLargeError } from './errors.ts';

export interface BodyResult {
  /** The decoded (decompressed) bytes. */
  data: Buffer;
  /** Bytes read off the wire. */
  rawBytes: number;
}

export type Coding = 'gzip' | 'deflate' | 'br';

const zlibOptions: zlib.ZlibOptions = {
  // Browsers show what arrived of a truncated stream; so do we (a cut body is caught by Content-Length).
  finishFlush: zlib.constants.Z_SYNC_FLUSH,
  chunkSize: 64 * 1024,
};
const brotliOptions: zlib.BrotliOptions = {
  finishFlush: zlib.constants.BROTLI_OPERATION_FLUSH,
  chunkSize: 64 * 1024,
};

/** The codings of a Content-Encoding header, in the order they were applied; throws on one we cannot undo. */
export function parseContentEncoding(header: string | undefined, url: string): Coding[] {
  if (header === undefined || header === '' || header === 'identity') return [];
  const codings: Coding[] = [];
  for (const part of header.toLowerCase().split(',')) {
    const coding = part.trim();
    if (coding === '' || coding === 'identity') continue;
    if (coding === 'gzip' || coding === 'x-gzip') codings.push('gzip');
    else if (coding === 'deflate') codings.push('deflate');
    else if (coding === 'br') codings.push('br');
    else throw new DecodeError(url, `unsupported Content-Encoding ${JSON.stringify(coding)}`);
  }
  return codings;
}

/** A zlib header: compression method 8 in the low nibble, and the two bytes a multiple of 31. */
function looksLikeZlib(first: Buffer): boolean {
  const b0 = first[0];
  if (b0 === undefined || (b0 & 0x0f) !== 8) return false;
  const b1 = first[1];
  return b1 === undefined || (b0 * 256 + b1) % 31 === 0;
}

function decompressor(coding: Coding, first: Buffer | undefined): Transform {
  if (coding === 'gzip') return zlib.createGunzip(zlibOptions);
  if (coding === 'br') return zlib.createBrotliDecompress(brotliOptions);
  // "deflate" should be zlib-wrapped, but some servers send raw deflate.
  return first === undefined || looksLikeZlib(first) ? zlib.createInflate(zlibOptions) : zlib.createInflateRaw(zlibOptions);
}

export interface ReadBodyOptions {
  url: string;
  maxBytes: number;
  /** Content-Encoding codings, as `parseContentEncoding` returns them. */
  codings: readonly Coding[];
}

/**
 * Reads `body` to the end. Errors of `body` itself (reset, timeout) are passed
 * on as they are; the caller knows what they mean.
 */
export function readBody(body: Readable, options: ReadBodyOptions): Promise<BodyResult> {
  const { url, maxBytes, codings } = options;
  return new Promise<BodyResult>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let rawBytes = 0;
    let outBytes = 0;
    let settled = false;
    let chain: Transform[] | undefined;

    const fail = (err: unknown): void => {
      if (settled) return;
      settled = true;
      body.destroy();
      if (chain) for (const stream of chain) stream.destroy();
      reject(err);
    };
    const finish = (): void => {
      if (settled) return;
      settled = true;
      resolve({ data: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, outBytes), rawBytes });
    };
    const collect = (chunk: Buffer, what: 'body' | 'decompressed body'): void => {
      outBytes += chunk.length;
      if (outBytes > maxBytes) {
        fail(new ResponseTooLargeError(url, maxBytes, what));
        return;
      }
      chunks.push(chunk);
    };
    const buildChain = (first: Buffer): Transform[] => {
      // Undo the last applied coding first.
      const streams = [...codings].reverse().map((coding, i) => decompressor(coding, i === 0 ? first : undefined));
      for (let i = 0; i < streams.length; i++) {
        const stream = streams[i]!;
        stream.on('error', (err: Error) => fail(new DecodeError(url, err.message, err)));
        if (i + 1 < streams.length) stream.pipe(streams[i + 1]!);
      }
      const last = streams[streams.length - 1]!;
      last.on('data', (chunk: Buffer) => collect(chunk, 'decompressed body'));
      last.on('end', finish);
      return streams;
    };

    body.on('data', (chunk: Buffer) => {
      if (settled) return;
      rawBytes += chunk.length;
      if (rawBytes > maxBytes) {
        fail(new ResponseTooLargeError(url, maxBytes, 'body'));
        return;
      }
      if (codings.length === 0) {
        collect(chunk, 'body');
        return;
      }
      chain ??= buildChain(chunk);
      const head = chain[0]!;
      if (!head.write(chunk)) {
        body.pause();
        head.once('drain', () => body.resume());
      }
    });
    body.on('end', () => {
      if (settled) return;
      if (chain) chain[0]!.end();
      else finish();
    });
    body.on('error', fail);
  });
}
