import { describe, expect, it } from 'vitest';
import { check, doc } from './helpers.ts';

const FORMS = '(today, yesterday, -7d, +1w, -1m or yyyy-MM-dd)';

describe('date variables', () => {
  it('read today, yesterday, relative and absolute dates', () => {
    const text = doc(
      'variables:',
      '  a: {dates: {from: -7d, to: today}}',
      '  b: {dates: {from: yesterday}}',
      '  c: {dates: {from: 2024-01-01, to: 2024-01-31, step: 1w, timezone: America/New_York}}',
      '  d: {dates: {from: -1m, to: +2d}}',
    );
    expect(check(text)).toEqual([]);
  });

  it('refuse other text and impossible dates', () => {
    expect(check(doc('variables:', '  a: {dates: {from: lastweek}}', '  b: {dates: {from: 7d, to: 2024-02-30}}'))).toEqual([
      `collectors/t.yaml:12:21 error variables.a.dates.from: "lastweek" is not a date ${FORMS}`,
      `collectors/t.yaml:13:21 error variables.b.dates.from: "7d" is not a date ${FORMS}`,
      `collectors/t.yaml:13:29 error variables.b.dates.to: "2024-02-30" is not a date ${FORMS}`,
    ]);
  });

  it('must not run backwards', () => {
    expect(
      check(
        doc(
          'variables:',
          '  a: {dates: {from: today, to: -3d}}',
          '  b: {dates: {from: 2024-01-10, to: 2024-01-01}}',
          '  c: {dates: {from: +1d}}',
        ),
      ),
    ).toEqual([
      'collectors/t.yaml:12:32 error variables.a.dates.to: the date range runs backwards: from today to -3d (from must not be later than to)',
      'collectors/t.yaml:13:37 error variables.b.dates.to: the date range runs backwards: from 2024-01-10 to 2024-01-01 (from must not be later than to)',
      'collectors/t.yaml:14:21 error variables.c.dates.from: the date range runs backwards: from +1d to today (from must not be later than to)',
    ]);
  });

  it('have a valid time zone', () => {
    expect(check(doc('variables:', '  a: {dates: {from: today, timezone: Mars/Olympus}}'))).toEqual([
      'collectors/t.yaml:12:38 error variables.a.dates.timezone: "Mars/Olympus" is not an IANA time zone (e.g. UTC, Europe/Berlin, America/New_York)',
    ]);
  });
});

describe('integer ranges', () => {
  it('must not run backwards', () => {
    expect(check(doc('variables:', '  p: {range: {from: 5, to: 1}}'))).toEqual([
      'collectors/t.yaml:12:28 error variables.p.range.to: the range runs backwards: from 5 to 1 (from must not be greater than to)',
    ]);
    expect(check(doc('variables:', '  p: {range: {from: 1, to: 1}}'))).toEqual([]);
  });
});
