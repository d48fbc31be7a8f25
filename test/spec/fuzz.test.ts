// A fixed number of reproducible mutations of a valid collector (the same
// cases on every machine): the loader never throws, never reports an internal
// error, pins every problem to a real position, and does YAML work linear in
// the text (counted, not timed: test/helpers/yaml-work.ts). The bigger fuzz is
// test/reliability/spec-fuzz.ts (`npm run reliability`).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { loadCollectorText, type LoadTextResult } from '../../runtime/language/load.ts';
import { countYamlWork, overBudget, type YamlWork } from '../helpers/yaml-work.ts';

const SEED = 20240611;
/** About 3 s on an idle 2-core machine. */
const RUNS = 500;
const valid = readFileSync(join(import.meta.dirname, 'fixtures', 'books.yaml'), 'utf8');

/** mulberry32: a small PRNG, so a failing case can be replayed from its index. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function mutator(rand: () => number) {
  const int = (n: number) => Math.floor(rand() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
  const oddValues: Json[] = [
    0,
    -1,
    1.5,
    Number.POSITIVE_INFINITY,
    '',
    'x',
    'Bearer abc',
    '{{ nope }}',
    true,
    null,
    [],
    [1, 'a'],
    {},
    { type: 'x' },
    'cron(0 6 * * *)',
    's3://Bad_Bucket//x',
  ];
  const oddChars = ':{}[]&*!|>\'"#%@`-?,\t\n \\\u0000\u00e9\ud83d\ude00';

  /** Every container (mapping or list) in the document, with the keys inside it. */
  function containers(value: Json, out: (Json[] | { [k: string]: Json })[] = []): (Json[] | { [k: string]: Json })[] {
    if (value !== null && typeof value === 'object') {
      out.push(value);
      for (const v of Object.values(value)) containers(v, out);
    }
    return out;
  }

  function structural(): string {
    const data = parse(valid) as Json;
    const target = pick(containers(data));
    const keys = Object.keys(target);
    const kind = int(3);
    if (Array.isArray(target)) {
      if (kind === 0 && target.length > 0) target.splice(int(target.length), 1);
      else if (target.length > 0) target[int(target.length)] = pick(oddValues);
      else target.push(pick(oddValues));
    } else if (kind === 0 && keys.length > 0) {
      delete target[pick(keys)];
    } else if (kind === 1 && keys.length > 0) {
      target[pick(keys)] = structuredClone(pick(oddValues));
    } else {
      target[pick(['selectr', 'typ', 'bogus', 'urls', 'fields', 'x-y', '__proto__', 'type'])] = structuredClone(pick(oddValues));
    }
    return stringify(data, { flowCollectionPadding: rand() < 0.5 });
  }

  function textual(): string {
    const lines = valid.split('\n');
    switch (int(5)) {
      case 0:
        return valid.slice(0, int(valid.length));
      case 1: {
        const i = int(lines.length);
        const indent = /^ */.exec(lines[i]!)![0].length;
        lines[i] = pick(['', ' ', '   ', '\t', ' '.repeat(indent + 2)]) + lines[i]!.trimStart();
        return lines.join('\n');
      }
      case 2: {
        let text = valid;
        for (let n = 1 + int(4); n > 0; n--) {
          const at = int(text.length);
          text = text.slice(0, at) + pick([...oddChars]) + text.slice(at + (rand() < 0.5 ? 1 : 0));
        }
        return text;
      }
      case 3: {
        const i = int(lines.length);
        lines.splice(i, 0, lines[int(lines.length)]!);
        return lines.join('\n');
      }
      default: {
        const a = int(lines.length);
        const b = int(lines.length);
        [lines[a], lines[b]] = [lines[b]!, lines[a]!];
        return lines.join('\n');
      }
    }
  }

  return () => (rand() < 0.4 ? structural() : textual());
}

describe('loadCollectorText under mutation', () => {
  it(`never throws, positions every diagnostic and stays within its work budget (${RUNS} mutations, seed ${SEED})`, () => {
    const rand = prng(SEED);
    const mutate = mutator(rand);
    let withErrors = 0;
    for (let i = 0; i < RUNS; i++) {
      const text = mutate();
      const lineCount = text.split('\n').length;
      let result: LoadTextResult;
      let work: YamlWork;
      try {
        ({ result, work } = countYamlWork(() => loadCollectorText(text, 'collectors/books.yaml')));
      } catch (err) {
        throw new Error(`mutation ${i} threw: ${String(err)}\n---\n${text}`);
      }
      // At most three lexer passes, one composition, alias expansions under the limit: no mutation makes a load expensive.
      const over = overBudget(work, text);
      if (over) expect.fail(`mutation ${i} is over the work budget: ${over}\n---\n${text}`);
      // Plain checks here: an expect() per diagnostic would cost more than the loading.
      const bad = result.diagnostics.find(
        (d) => !(d.line >= 1 && d.column >= 1 && d.line <= lineCount) || d.message === '' || /internal error/.test(d.message),
      );
      expect(bad, `mutation ${i}: ${JSON.stringify(bad)}\n---\n${text}`).toBeUndefined();
      if (result.diagnostics.some((d) => d.severity === 'error')) withErrors++;
      else expect(result.collector, `mutation ${i} has no error, so it loads`).toBeDefined();
    }
    // The mutations must actually break things, or this test proves nothing.
    expect(withErrors).toBeGreaterThan(RUNS / 2);
  });
});
