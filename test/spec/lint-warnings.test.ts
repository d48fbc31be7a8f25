import { describe, expect, it } from 'vitest';
import { loadCollectorText } from '../../runtime/language/load.ts';
import { BASE, FILE, check } from './helpers.ts';

describe('warnings', () => {
  it('a collector without expect or owner is warned about, not refused', () => {
    const text = `${BASE.filter((l) => !/^(owner|expect| {2}minRecords)/.test(l)).join('\n')}\n`;
    expect(check(text)).toEqual([
      'collectors/t.yaml:1:1 warning no expect block: an empty or broken run would pass unnoticed (add expect: { minRecords: 1 })',
      'collectors/t.yaml:1:1 warning no owner: nobody is named to answer for this collector (add owner: a team or an e-mail address)',
    ]);
    const result = loadCollectorText(text, FILE);
    expect(result.collector?.name).toBe('t');
  });

  it('are not given when both are there', () => {
    expect(check(BASE.join('\n'))).toEqual([]);
  });
});
