import { describe, expect, it } from 'vitest';
import { compareRecords, formatComparison } from '../../runtime/tools/review/compare.ts';
import type { DataRecord } from '../../runtime/core/extract/types.ts';
import { maskRecords } from '../../runtime/tools/review/expected-records.ts';
import type { Collector } from '../../runtime/language/generated/collector.types.ts';

describe('compareRecords', () => {
  const expected: DataRecord[] = [
    { id: 1, title: 'a', tags: ['x'] },
    { id: 2, title: 'b', tags: [] },
    { id: 3, title: 'c', tags: [] },
  ];

  it('pairs by dedupe key, so a reordering is no difference', () => {
    const c = compareRecords(expected, [expected[2]!, expected[0]!, expected[1]!], ['id']);
    expect(c).toMatchObject({ equal: true, same: 3, pairedBy: 'key' });
  });

  it('reports changed, missing and added fields, and missing and unexpected records', () => {
    const actual: DataRecord[] = [
      { id: 1, title: 'A', tags: ['x'] },
      { id: 2, tags: [], extra: true },
      { id: 4, title: 'd', tags: [] },
    ];
    const c = compareRecords(expected, actual, ['id']);
    expect(c.equal).toBe(false);
    expect(c.diffs.map((d) => [d.label, d.kind])).toEqual([
      ['record 1 (id 1)', 'changed'],
      ['record 2 (id 2)', 'changed'],
      ['record 3 (id 3)', 'missing'],
      ['record 3 (id 4)', 'extra'],
    ]);
    const text = formatComparison(c, { expectedFile: 'e.jsonl' });
    expect(text).toBe(
      [
        'records differ from e.jsonl: 2 changed, 1 missing, 1 unexpected (expected 3, got 3; 0 identical; paired by dedupe key)',
        '  record 1 (id 1): 1 field differs',
        '    title: expected "a", got "A"',
        '  record 2 (id 2): 2 fields differ',
        '    title: expected "b", got nothing (field missing)',
        '    extra: not expected, got true (new field)',
        '  record 3 (id 3): expected but not produced: {"id":3,"title":"c","tags":[]}',
        '  record 3 (id 4): produced but not expected: {"id":4,"title":"d","tags":[]}',
        '',
      ].join('\n'),
    );
  });

  it('pairs by position without a key, and compares nested values deeply', () => {
    const c = compareRecords([{ a: { b: [1, 2] } }], [{ a: { b: [1, 3] } }]);
    expect(c.pairedBy).toBe('position');
    expect(c.diffs[0]!.changes).toEqual([{ field: 'a', kind: 'changed', expected: { b: [1, 2] }, actual: { b: [1, 3] } }]);
    expect(compareRecords([{ a: { x: 1, y: 2 } }], [{ a: { y: 2, x: 1 } }]).equal).toBe(true);
  });
});

describe('maskRecords', () => {
  it('replaces the values of runId and taskId context fields, nested ones too', () => {
    const collector = {
      name: 'c',
      start: { urls: ['https://e.com'] },
      extract: {
        fields: {
          run: { context: 'runId' },
          at: { context: 'fetchedAt' },
          meta: { selector: 'x', fields: { task: { context: 'taskId' } } },
        },
      },
      output: 's3://b/c',
    } as Collector;
    const masked = maskRecords([{ run: '20240101T000000Z-abc123', at: '2024-01-01T00:00:00Z', meta: { task: 'f00' } }], collector);
    expect(masked).toEqual([{ run: '<runId>', at: '2024-01-01T00:00:00Z', meta: { task: '<taskId>' } }]);
  });
});
