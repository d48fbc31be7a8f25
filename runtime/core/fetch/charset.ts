// Bytes to text the way a browser would choose the encoding: a byte order
// mark, else the Content-Type charset, else (HTML only) a <meta> charset in
// the first 1024 bytes, else UTF-8. An unknown label falls back to UTF-8.
import { TextDecoder } from 'node:util';

const decoders = new Map<string, TextDecoder | null>();
const utf8 = new TextDecoder('utf-8');

/** The decoder for a label, or undefined when no encoding has that label. */
function decoderFor(label: string): TextDecoder | undefined {
  let decoder = decoders.get(label);
  if (decoder === undefined) {
    try {
      decoder = new TextDecoder(label);
    } catch {
      decoder = null;
    }
    // Labels come from servers: bound the cache so odd ones cannot grow it forever.
    if (decoders.size < 128) decoders.set(label, decoder);
  }
  return decoder ?? undefined;
}

function known(label: string | undefined): string | undefined {
  return label !== undefined && decoderFor(label) !== undefined ? label : undefined;
}

function charsetFromBom(data: Uint8Array): string | undefined {
  if (data.length >= 3 && data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf) return 'utf-8';
  if (data.length >= 2 && data[0] === 0xfe && data[1] === 0xff) return 'utf-16be';
  if (data.length >= 2 && data[0] === 0xff && data[1] === 0xfe) return 'utf-16le';
  return undefined;
}

const charsetParam = /;\s*charset\s*=\s*(?:"([^"]*)"|([^\s;,]+))/i;

export function charsetFromContentType(contentType: string | undefined): string | undefined {
  if (contentType === undefined) return undefined;
  const m = charsetParam.exec(contentType);
  const label = (m?.[1] ?? m?.[2])?.trim().toLowerCase();
  return label === '' ? undefined : label;
}

// Covers both <meta charset="x"> and <meta http-equiv="Content-Type" content="text/html; charset=x">.
const metaCharset = /<meta\b[^>]*?\bcharset\s*=\s*["']?\s*([^\s"'/>;]+)/i;

/** The charset a <meta> tag in the first 1024 bytes declares. */
export function sniffMetaCharset(data: Uint8Array): string | undefined {
  const head = Buffer.from(data.buffer, data.byteOffset, Math.min(1024, data.length)).toString('latin1');
  const label = metaCharset.exec(head)?.[1]?.toLowerCase();
  if (label === undefined) return undefined;
  // A page whose bytes we could read as ASCII is not UTF-16, whatever it says (HTML standard).
  if (label.startsWith('utf-16')) return 'utf-8';
  if (label === 'x-user-defined') return 'windows-1252';
  return label;
}

function isHtml(contentType: string | undefined): boolean {
  return contentType === undefined || /html/i.test(contentType);
}

/** The encoding label used for a body; labels no decoder knows are skipped. */
export function detectCharset(data: Uint8Array, contentType: string | undefined): string {
  return (
    charsetFromBom(data) ??
    known(charsetFromContentType(contentType)) ??
    (isHtml(contentType) ? known(sniffMetaCharset(data)) : undefined) ??
    'utf-8'
  );
}

// windows-1252 (also what "iso-8859-1" and "latin1" mean on the web) differs
// from ISO-8859-1 only in 0x80-0x9F. Node 20's TextDecoder decodes those bytes
// as C1 controls, so they are mapped here.
const cp1252High =
  '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f' +
  '\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';
const c1Control = /[\u0080-\u009f]/;
const c1Controls = /[\u0080-\u009f]/g;

function decodeWindows1252(data: Uint8Array): string {
  const text = Buffer.from(data.buffer, data.byteOffset, data.length).toString('latin1');
  return c1Control.test(text) ? text.replace(c1Controls, (c) => cp1252High[c.charCodeAt(0) - 0x80]!) : text;
}

/** Decoded text of a body. */
export function decodeText(data: Uint8Array, contentType: string | undefined): string {
  if (data.length === 0) return '';
  const decoder = decoderFor(detectCharset(data, contentType)) ?? utf8;
  return decoder.encoding === 'windows-1252' ? decodeWindows1252(data) : decoder.decode(data);
}
