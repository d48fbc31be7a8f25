// A body that is itself a gzip file (sitemap.xml.gz served as application/gzip
// or octet-stream, with no Content-Encoding) is unpacked before it is read as
// text: its bytes could never be text (0x1f 0x8b starts no UTF-8 character a
// page would begin with), and a sitemap index lists such files by design. The
// unpacked size is capped as any decoded body is, so a gzip bomb stops at the cap.
import { gunzipSync } from 'node:zlib';
import { DecodeError, ResponseTooLargeError } from './errors.ts';

function isGzip(data: Uint8Array): boolean {
  return data.length >= 2 && data[0] === 0x1f && data[1] === 0x8b;
}

/** The body unpacked when it is a gzip file; as it is otherwise. */
export function gunzipFileBody(data: Buffer, url: string, maxBytes: number): Buffer {
  if (!isGzip(data)) return data;
  try {
    return gunzipSync(data, { maxOutputLength: maxBytes });
  } catch (err) {
    if (err instanceof RangeError || (err as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE')
      throw new ResponseTooLargeError(url, maxBytes, 'decompressed body');
    throw new DecodeError(url, `a gzip file that does not unpack: ${(err as Error).message}`, err);
  }
}
