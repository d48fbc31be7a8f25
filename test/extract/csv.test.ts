// CSV and TSV pages: a header row, then one item per row.
import { describe, expect, it } from 'vitest';
import { compileExtractor } from '../../runtime/core/extract/compile.ts';
import { sniffDelimiter } from '../../runtime/core/extract/csv.ts';
import { ExtractConfigError, ParseError, TooManyItemsError } from '../../runtime/core/extract/errors.ts';
import { detectKind, parsePage } from '../../runtime/core/extract/parse.ts';
import type { ParsedPage } from '../../runtime/core/extract/types.ts';
import { context } from './fixtures.ts';

// A byte order mark, quoted cells with commas, doubled quotes and a line break, an empty cell, a short row.
const CSV =
  '\uFEFFid,First Name,price,note,status\r\n' +
  '1,Ada,"1,234.50","She said ""hi""",open\r\n' +
  '2,Grace,12,"two\nlines",closed\r\n' +
  '3,,7.5,,open\r\n' +
  '4,Alan\r\n' +
  '\r\n';

const csv = (text = CSV, type = 'text/csv; charset=utf-8') => parsePage(text, type, 'https://data.example/export.csv');
const run = (page: ParsedPage, block: Parameters<typeof compileExtractor>[0]) => compileExtractor(block).extract(page, context(page));

describe('CSV pages', () => {
  it('makes every row a record, fields by column name, position or JMESPath', () => {
    const page = csv();
    expect(page.kind).toBe('csv');
    const out = run(page, {
      fields: {
        id: { column: 'id', type: 'integer', required: true },
        name: 'First Name',
        second: { column: 2 },
        price: { path: 'price', type: 'number' },
        note: 'note',
        status: { column: 'status', default: 'unknown' },
        rows: { from: 'page', path: 'length(@)' },
      },
    });
    expect(out.errors).toEqual([]);
    expect(out.records).toEqual([
      { id: 1, name: 'Ada', second: 'Ada', price: 1234.5, note: 'She said "hi"', status: 'open', rows: 4 },
      { id: 2, name: 'Grace', second: 'Grace', price: 12, note: 'two\nlines', status: 'closed', rows: 4 },
      { id: 3, name: null, second: null, price: 7.5, note: null, status: 'open', rows: 4 },
      { id: 4, name: 'Alan', second: 'Alan', price: null, note: null, status: 'unknown', rows: 4 },
    ]);
  });

  it('picks rows with a JMESPath `items`', () => {
    const out = run(csv(), { items: "[?status=='open']", fields: { id: { column: 'id', type: 'integer' } } });
    expect(out.records).toEqual([{ id: 1 }, { id: 3 }]);
  });

  it('reads a semicolon CSV by its header, an explicit delimiter, and TSV', () => {
    expect(sniffDelimiter('a;b;"c,d"\n1;2;3')).toBe(';');
    expect(sniffDelimiter('"a;b",c\n')).toBe(',');
    expect(sniffDelimiter('single\n1')).toBe(',');
    const semi = csv('name;price\nTea;"1,50"\n');
    expect(run(semi, { fields: { name: 'name', price: { column: 'price', type: 'number' } } }).records).toEqual([
      { name: 'Tea', price: 1.5 },
    ]);
    // The header has no separator to go by: the collector names it.
    const piped = csv('name|note\nTea|a, b\n');
    expect(run(piped, { delimiter: '|', fields: { name: 'name', note: 'note' } }).records).toEqual([{ name: 'Tea', note: 'a, b' }]);
    const tsv = parsePage('name\tnote\nTea\t"quoted, with comma"\n', 'text/tab-separated-values', 'https://data.example/x.tsv');
    expect(tsv.kind).toBe('csv');
    expect(run(tsv, { fields: { name: 'name', note: 'note' } }).records).toEqual([{ name: 'Tea', note: 'quoted, with comma' }]);
  });

  it('keeps cell white space unless asked', () => {
    const out = run(csv('a,b\n  x  ,y\n'), { fields: { kept: 'a', tidy: { column: 'a', whitespace: 'normalize' } } });
    expect(out.records).toEqual([{ kept: '  x  ', tidy: 'x' }]);
  });

  it('detects CSV and TSV by Content-Type', () => {
    expect(detectKind('text/csv', 'a,b')).toBe('csv');
    expect(detectKind('application/csv', 'a,b')).toBe('csv');
    expect(detectKind('text/tab-separated-values', 'a\tb')).toBe('tsv');
    expect(detectKind(undefined, 'a,b\n1,2')).toBe('html');
    expect(parsePage('a,b\n1,2\n', undefined, 'https://x.example/', 'csv').kind).toBe('csv');
  });

  it('fails the page on an unclosed quote, naming the format', () => {
    expect(() => csv('a,b\n1,"never closed\n')).toThrow(ParseError);
    expect(() => csv('a,b\n1,"never closed\n')).toThrow(/malformed CSV from https:\/\/data\.example\/export\.csv: .*[Qq]uote/);
  });

  it('counts rows against maxItemsPerPage', () => {
    const page = csv();
    expect(() => compileExtractor({ fields: { id: 'id' } }, { maxItems: 3 }).extract(page, context(page))).toThrow(TooManyItemsError);
    expect(compileExtractor({ fields: { id: 'id' } }, { maxItems: 4 }).extract(page, context(page)).records).toHaveLength(4);
  });

  it('treats column names as data, not as object keys with meaning', () => {
    const out = run(csv('__proto__,constructor\nx,y\n'), { fields: { a: '__proto__', b: 'constructor', c: 'toString' } });
    expect(out.records).toEqual([{ a: 'x', b: 'y', c: null }]);
  });

  it('refuses HTML options on CSV pages', () => {
    expect(() => compileExtractor({ fields: { a: { selector: 'td' } } }, { parse: 'csv' })).toThrow(ExtractConfigError);
    expect(() => compileExtractor({ fields: { a: { column: 'a', attr: 'href' } } }, { parse: 'csv' })).toThrow(
      /`attr` and `html` apply to HTML/,
    );
    expect(() => compileExtractor({ fields: { a: { column: 'a' } } }, { parse: 'json' })).toThrow(/`column` applies to CSV pages only/);
  });
});
