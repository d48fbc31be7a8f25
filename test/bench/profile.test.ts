import { describe, expect, it } from 'vitest';
import { hotSpots, origin } from '../../bench/profile.ts';
import { ROOT } from '../../bench/crawlers.ts';

describe('the profile summary', () => {
  it('names where a script comes from', () => {
    expect(origin('file:///x/node_modules/htmlparser2/dist/esm/Parser.js')).toBe('htmlparser2');
    expect(origin('file:///x/node_modules/@aws-sdk/client-s3/dist-cjs/index.js')).toBe('@aws-sdk/client-s3');
    expect(origin(`file://${ROOT}runtime/core/engine/run-task.ts`)).toBe('runtime/core/engine/run-task.ts');
    expect(origin('node:zlib')).toBe('node:zlib');
    expect(origin('')).toBe('(native / idle / GC)');
  });

  it('adds up self time per function and per origin from the samples', () => {
    const frame = (functionName: string, url: string) => ({ functionName, url, lineNumber: 9 });
    const profile = {
      nodes: [
        { id: 1, callFrame: frame('(root)', ''), children: [2, 3] },
        { id: 2, callFrame: frame('parse', 'file:///x/node_modules/htmlparser2/a.js') },
        { id: 3, callFrame: frame('write', 'file:///x/node_modules/htmlparser2/b.js') },
      ],
      samples: [2, 2, 3, 1],
      timeDeltas: [1000, 3000, 2000, 2000],
      startTime: 0,
      endTime: 8000,
    };
    const { functions, origins, totalMs } = hotSpots(profile);
    expect(totalMs).toBe(8);
    expect(functions[0]).toEqual({ name: 'parse htmlparser2:10', ms: 4, share: 0.5 });
    expect(origins[0]).toEqual({ name: 'htmlparser2', ms: 6, share: 0.75 });
  });
});
