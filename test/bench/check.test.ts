import { describe, expect, it } from 'vitest';
import { bookTruth, checkRecords, detailNumber } from '../../bench/check.ts';
import { sitePaths } from '../../bench/sites/paths.ts';

/** What a correct crawler writes for the books site of `count` details. */
function goodBooks(count: number): Record<string, unknown>[] {
  const details = sitePaths('books', count, 20).filter((p) => p.endsWith('/index.html'));
  return details.map((path) => {
    const n = detailNumber(path)!;
    return { url: `http://127.0.0.1:1${path}`, ...bookTruth(n) };
  });
}

describe('the output check', () => {
  it('accepts one right record per detail page, in any order, with extra fields', () => {
    const records = goodBooks(40)
      .reverse()
      .map((r) => ({ ...r, stock: 3, title: `  ${String(r.title)}\n` }));
    expect(checkRecords('books', records, 40)).toEqual({ ok: true, problems: [], problemCount: 0 });
  });

  it('rejects a wrong record count', () => {
    const result = checkRecords('books', goodBooks(40).slice(1), 40);
    expect(result.ok).toBe(false);
    expect(result.problems[0]).toBe('expected 40 records, got 39');
  });

  it('rejects a page twice (and so one missing)', () => {
    const records = goodBooks(40);
    records[5] = records[4]!;
    const result = checkRecords('books', records, 40);
    expect(result.ok).toBe(false);
    expect(result.problems.join('\n')).toMatch(/page 5 appears twice/);
  });

  it('rejects a wrong value, a price as text and a missing field', () => {
    const records = goodBooks(40);
    records[0] = { ...records[0], upc: 'nope' };
    records[1] = { ...records[1], price: String(records[1]!.price) };
    const { rating: _dropped, ...noRating } = records[2]!;
    records[2] = noRating;
    const result = checkRecords('books', records, 40);
    expect(result.ok).toBe(false);
    expect(result.problemCount).toBe(3);
    expect(result.problems[0]).toMatch(/page 1: upc is "nope", expected "a897fe39b1053632"/);
    expect(result.problems[1]).toMatch(/page 2: price is "53.74"/);
    expect(result.problems[2]).toMatch(/page 3: rating is undefined/);
  });

  it('rejects a URL that is not a detail page of the site', () => {
    const records = goodBooks(40);
    records[0] = { ...records[0], url: 'http://127.0.0.1:1/catalogue/page-1.html' };
    expect(checkRecords('books', records, 40).problems.join('\n')).toMatch(/is not a detail page/);
  });

  it('knows the real values of the pages', () => {
    expect(bookTruth(1)).toEqual({
      title: 'A Light in the Attic',
      price: 51.77,
      availability: expect.stringMatching(/In stock \(22 available\)/),
      rating: 3,
      upc: 'a897fe39b1053632',
    });
    // Page 201 is real page 1 again.
    expect(bookTruth(201)).toEqual(bookTruth(1));
  });

  it('compares article text without whitespace and takes null for a blank headline', () => {
    const truth = (n: number) => ({ title: `Story ${n}`, headline: n === 2 ? '  \n ' : `Head ${n}` });
    const records = [1, 2].map((n) => ({
      url: `http://x/articles/abc_${n}.html`,
      title: `Story\n ${n}`,
      headline: n === 2 ? null : `Head${n}`,
    }));
    expect(checkRecords('articles', records, 2, truth).ok).toBe(true);
    records[0]!.title = 'Another';
    expect(checkRecords('articles', records, 2, truth).ok).toBe(false);
  });
});
