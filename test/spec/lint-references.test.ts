import { describe, expect, it } from 'vitest';
import { check, doc } from './helpers.ts';

const DETAIL = ['follow:', '  field: title', '  extract:', '    fields:', '      upc: td'];

describe('options that name record fields', () => {
  it('dedupeKey and cursorField name extracted fields', () => {
    expect(check(doc('records:', '  dedupeKey: [titel]', '  incremental:', '    cursorField: updated'))).toEqual([
      'collectors/t.yaml:12:15 error records.dedupeKey[0]: no field "titel" is extracted (did you mean "title"?)',
      'collectors/t.yaml:14:18 error records.incremental.cursorField: no field "updated" is extracted (fields: title)',
    ]);
  });

  it('expect.fillRate and expect.types point at the key', () => {
    expect(check(doc('  fillRate: {titel: 1}', '  types:', '    price: number'))).toEqual([
      'collectors/t.yaml:11:14 error expect.fillRate.titel: no field "titel" is extracted (did you mean "title"?)',
      'collectors/t.yaml:13:5 error expect.types.price: no field "price" is extracted (fields: title)',
    ]);
  });

  it('fields of detail pages count, at every level of follow', () => {
    const text = doc(
      '  fillRate: {upc: 1, isbn: 1}',
      ...DETAIL,
      '  follow:',
      '    field: upc',
      '    extract: {fields: {isbn: td}}',
      'records:',
      '  dedupeKey: [upc, title]',
      '  incremental: {cursorField: isbn}',
    );
    expect(check(text)).toEqual([]);
  });

  it('a follow link comes from a field extracted before it', () => {
    expect(check(doc('follow:', '  field: url', '  extract: {fields: {a: b}}'))).toEqual([
      'collectors/t.yaml:12:10 error follow.field: no field "url" is extracted before this follow (fields: title)',
    ]);
  });
});
