import { describe, expect, it } from 'vitest';
import { charsetFromContentType, decodeText, detectCharset, sniffMetaCharset } from '../../runtime/core/fetch/charset.ts';

const bytes = (text: string) => Buffer.from(text, 'latin1');

describe('detectCharset', () => {
  it('prefers a byte order mark, then Content-Type, then <meta>, then UTF-8', () => {
    const page = bytes('<meta charset="koi8-r"><p>x</p>');
    expect(detectCharset(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), page]), 'text/html; charset=iso-8859-1')).toBe('utf-8');
    expect(detectCharset(Buffer.from([0xff, 0xfe, 0x41, 0x00]), 'text/html; charset=iso-8859-1')).toBe('utf-16le');
    expect(detectCharset(page, 'text/html; charset=iso-8859-1')).toBe('iso-8859-1');
    expect(detectCharset(page, 'text/html')).toBe('koi8-r');
    expect(detectCharset(page, undefined)).toBe('koi8-r');
    expect(detectCharset(bytes('<p>x</p>'), 'text/html')).toBe('utf-8');
  });

  it('sniffs <meta> only in HTML, and only in the first 1024 bytes', () => {
    expect(detectCharset(bytes('<meta charset="koi8-r">'), 'application/json')).toBe('utf-8');
    expect(detectCharset(bytes(`${' '.repeat(1024)}<meta charset="koi8-r">`), 'text/html')).toBe('utf-8');
  });

  it('skips labels no decoder knows', () => {
    expect(detectCharset(bytes('<meta charset="windows-1252">'), 'text/html; charset=klingon')).toBe('windows-1252');
    expect(detectCharset(bytes('<meta charset="klingon">'), 'text/html')).toBe('utf-8');
  });
});

describe('charsetFromContentType', () => {
  it('reads plain and quoted parameters, case-insensitively', () => {
    expect(charsetFromContentType('text/html; charset=ISO-8859-1')).toBe('iso-8859-1');
    expect(charsetFromContentType('text/html;charset="Shift_JIS"; foo=bar')).toBe('shift_jis');
    expect(charsetFromContentType('text/html')).toBeUndefined();
    expect(charsetFromContentType(undefined)).toBeUndefined();
  });
});

describe('sniffMetaCharset', () => {
  it('reads <meta charset> and <meta http-equiv> forms', () => {
    expect(sniffMetaCharset(bytes('<head><META CHARSET=Windows-1251>'))).toBe('windows-1251');
    expect(sniffMetaCharset(bytes(`<meta http-equiv='Content-Type' content='text/html; charset=euc-jp'>`))).toBe('euc-jp');
    expect(sniffMetaCharset(bytes('<meta name="description" content="charset free">'))).toBeUndefined();
  });

  it('treats a <meta> claiming UTF-16 as UTF-8, as browsers do', () => {
    expect(sniffMetaCharset(bytes('<meta charset="utf-16le">'))).toBe('utf-8');
  });
});

describe('decodeText', () => {
  it('maps windows-1252 bytes 0x80-0x9F to their characters (iso-8859-1 means windows-1252)', () => {
    const data = Buffer.from([0x80, 0x20, 0x93, 0x71, 0x94, 0x20, 0x96, 0x20, 0x99, 0x20, 0xe9]);
    expect(decodeText(data, 'text/plain; charset=iso-8859-1')).toBe('€ “q” – ™ é');
    expect(decodeText(data, 'text/plain; charset=windows-1252')).toBe('€ “q” – ™ é');
  });

  it('decodes multi-byte legacy encodings through ICU', () => {
    // "日本" in Shift_JIS and windows-1251 "Привет".
    expect(decodeText(Buffer.from([0x93, 0xfa, 0x96, 0x7b]), 'text/plain; charset=shift_jis')).toBe('日本');
    expect(decodeText(Buffer.from([0xcf, 0xf0, 0xe8, 0xe2, 0xe5, 0xf2]), 'text/html; charset=windows-1251')).toBe('Привет');
  });

  it('drops a UTF-8 byte order mark and replaces invalid UTF-8', () => {
    expect(decodeText(Buffer.from([0xef, 0xbb, 0xbf, 0x61]), undefined)).toBe('a');
    expect(decodeText(Buffer.from([0x61, 0xff, 0x62]), 'text/plain')).toBe('a\uFFFDb');
    expect(decodeText(Buffer.alloc(0), 'text/plain')).toBe('');
  });
});
