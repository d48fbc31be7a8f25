import { describe, expect, it } from 'vitest';
import { MAX_ALIAS_COUNT, MAX_FILE_BYTES } from '../../runtime/language/yaml-limits.ts';
import { parseYaml } from '../../runtime/language/yaml-source.ts';
import collectorSchema from '../../schemas/collector.schema.json' with { type: 'json' };
import { countYamlWork } from '../helpers/yaml-work.ts';
import { check } from './helpers.ts';

/** Nine anchors, each a list of nine aliases of the one before: 9^9 strings once expanded. */
function billionLaughs(): string {
  const lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]'];
  for (let i = 1; i < 9; i++) {
    const name = String.fromCharCode(97 + i);
    const prev = String.fromCharCode(96 + i);
    lines.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(', ')}]`);
  }
  return `${lines.join('\n')}\n`;
}

describe('YAML syntax errors', () => {
  it('are reported at their own position', () => {
    expect(check('name: t\nstart: {urls: [a\nextract: x\n')).toEqual([
      'collectors/t.yaml:3:1 error flow sequence in block collection must be sufficiently indented and end with a ]',
      'collectors/t.yaml:3:1 error flow map in block collection must be sufficiently indented and end with a }',
    ]);
    expect(check('name: t\nstart:\n  urls: [a]\n   extract: x\n')).toEqual([
      'collectors/t.yaml:4:1 error all mapping items must start at the same column',
    ]);
    expect(check('name: t\nowner: "unterminated\n')).toEqual(['collectors/t.yaml:3:1 error missing closing "quote']);
  });

  it('reports duplicate keys as errors at the repeated key', () => {
    expect(check('name: t\nstart:\n  urls: [a]\n  urls: [b]\n')).toEqual([
      'collectors/t.yaml:4:3 error duplicate key "urls" (each key may appear once in a mapping)',
    ]);
  });

  it('refuses tabs as indentation and several documents', () => {
    expect(check('name: t\nstart:\n\turls: [a]\n')).toEqual([
      'collectors/t.yaml:3:1 error tabs are not allowed as indentation (indent with spaces)',
    ]);
    expect(check('name: a\n---\nname: b\n')).toEqual([
      'collectors/t.yaml:2:1 error a collector file holds one YAML document (remove the "---" separator or split the file)',
    ]);
  });

  it('refuses an empty file and a top level that is not a mapping', () => {
    expect(check('')).toEqual(['collectors/t.yaml:1:1 error the file is empty (a collector needs name, start, extract and output)']);
    expect(check('# only a comment\n')).toEqual([
      'collectors/t.yaml:1:1 error the file is empty (a collector needs name, start, extract and output)',
    ]);
    expect(check('\n- name: t\n')).toEqual([
      'collectors/t.yaml:2:1 error the top level must be a mapping of options (start with name:, start:, extract: and output:)',
    ]);
    expect(check('just text\n')).toEqual([
      'collectors/t.yaml:1:1 error the top level must be a mapping of options (start with name:, start:, extract: and output:)',
    ]);
  });
});

describe('hostile input', () => {
  it('refuses a billion-laughs alias bomb after at most MAX_ALIAS_COUNT alias expansions', () => {
    const text = billionLaughs();
    const { result: lines, work } = countYamlWork(() => check(text));
    expect(lines).toEqual([
      'collectors/t.yaml:2:8 error aliases expand to too much data (more than 100 alias expansions) (write the values out or use fewer aliases)',
    ]);
    // 9^9 strings once expanded; the limit stops it after a handful of aliases, on a tree composed once.
    expect(work.composed).toBe(1);
    expect(work.aliasExpansions).toBeGreaterThan(0);
    expect(work.aliasExpansions).toBeLessThanOrEqual(MAX_ALIAS_COUNT);
  });

  it('still accepts a few ordinary aliases', () => {
    const r = parseYaml('base: &b {a: 1}\nx: *b\ny: *b\n');
    expect(r.problems).toEqual([]);
    expect(r.value).toEqual({ base: { a: 1 }, x: { a: 1 }, y: { a: 1 } });
  });

  it('refuses a file over 1 MiB before parsing it', () => {
    const text = `name: t\ndescription: "${'x'.repeat(MAX_FILE_BYTES)}"\n`;
    const { result: lines, work } = countYamlWork(() => check(text));
    expect(lines).toEqual([
      `collectors/t.yaml:1:1 error file is ${MAX_FILE_BYTES + 24} bytes; the limit is ${MAX_FILE_BYTES} (1 MiB) (a collector file is a few KiB)`,
    ]);
    // Not lexed, not composed: refused on its size alone.
    expect(work).toEqual({ lexPasses: 0, tokens: 0, composed: 0, aliasExpansions: 0 });
  });

  it('counts the limit in bytes, not characters', () => {
    const text = `d: "${'£'.repeat(MAX_FILE_BYTES / 2)}"\n`;
    expect(text.length).toBeLessThan(MAX_FILE_BYTES);
    expect(parseYaml(text).problems[0]?.message).toMatch(/the limit is 1048576/);
  });

  it('refuses block nesting deeper than 64 levels at the first node too deep', () => {
    const lines = Array.from({ length: 70 }, (_, i) => `${' '.repeat(i)}k:`);
    expect(check(`${lines.join('\n')} v\n`)).toEqual([
      'collectors/t.yaml:65:65 error nesting is deeper than 64 levels (a collector needs far fewer levels)',
    ]);
  });

  it('accepts 64 levels', () => {
    const lines = Array.from({ length: 64 }, (_, i) => `${' '.repeat(i)}k:`);
    expect(parseYaml(`${lines.join('\n')} v\n`).problems).toEqual([]);
  });

  it('refuses deep flow nesting', () => {
    expect(check(`a: ${'['.repeat(70)}${']'.repeat(70)}\n`)).toEqual([
      'collectors/t.yaml:1:67 error nesting is deeper than 64 levels (a collector needs far fewer levels)',
    ]);
  });

  it('refuses a megabyte of open brackets without composing it, after a few dozen tokens', () => {
    const text = `a: ${'['.repeat(MAX_FILE_BYTES - 10)}`;
    const { result: lines, work } = countYamlWork(() => check(text));
    expect(lines).toEqual(['collectors/t.yaml:1:82 error nesting is deeper than 64 levels (a collector needs far fewer levels)']);
    // One prescan that stops at the first bracket too deep, out of a million; nothing composed.
    expect(work.composed).toBe(0);
    expect(work.lexPasses).toBe(1);
    expect(work.tokens).toBeLessThan(200);
  });

  it('refuses deep nesting built from aliases', () => {
    const inner = `${'{x: '.repeat(40)}1${'}'.repeat(40)}`;
    const r = parseYaml(`a: &a ${inner}\nb: ${'{x: '.repeat(40)}*a${'}'.repeat(40)}\n`);
    expect(r.value).toBeUndefined();
    expect(r.problems).toEqual([
      {
        line: 2,
        column: 164,
        severity: 'error',
        message: 'nesting through aliases is deeper than 64 levels',
        hint: 'a collector needs far fewer levels',
      },
    ]);
  });

  it('refuses recursive and unknown aliases', () => {
    expect(check('a: &a [1, *a]\n')).toEqual([
      'collectors/t.yaml:1:11 error alias "*a" refers to a node that contains it (aliases must not be recursive)',
    ]);
    expect(check('a: 1\nb: *nope\n')).toEqual([
      'collectors/t.yaml:2:4 error unknown alias "*nope" (define the anchor "&nope" before using it)',
    ]);
  });

  it('refuses tags other than the plain ones, and keys that are collections', () => {
    expect(check('a: !foo bar\nb: !!binary aGVsbG8=\nc: !!str 5\n')).toEqual([
      'collectors/t.yaml:1:4 error unsupported YAML tag "!foo" (write plain values without tags)',
      'collectors/t.yaml:2:4 error unsupported YAML tag "!!binary" (write plain values without tags)',
    ]);
    expect(check('? [a, b]\n: 1\n')).toEqual(['collectors/t.yaml:1:3 error a key must be a plain name, not a list or mapping']);
  });

  it('keeps __proto__ an ordinary key that the schema then rejects', () => {
    const r = parseYaml('__proto__: {polluted: 1}\n');
    expect(Object.getPrototypeOf(r.value)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(check('__proto__: {polluted: 1}\n')).toContain(
      `collectors/t.yaml:1:1 error __proto__: unknown option "__proto__" (allowed: ${Object.keys(collectorSchema.properties).join(', ')})`,
    );
  });
});

describe('YamlSource.locate', () => {
  const text = `${['a:', '  b:', '    c: 1', '  d: [x, "y"]', '  e:', 'f: &f {g: 1}', 'h: *f', 'u: "https://x/{{ v }}"'].join('\n')}\n`;
  const { source } = parseYaml(text);

  it('points at a value, a key, or the mapping that holds a path', () => {
    expect(source.locate(['a', 'b', 'c'])).toEqual({ line: 3, column: 8 });
    expect(source.locate(['a', 'b', 'c'], 'key')).toEqual({ line: 3, column: 5 });
    expect(source.locate(['a', 'b', 'missing'], 'container')).toEqual({ line: 3, column: 5 });
    expect(source.locate(['a', 'd', 1])).toEqual({ line: 4, column: 10 });
  });

  it('points at the key of an empty value, and through aliases', () => {
    expect(source.locate(['a', 'e'])).toEqual({ line: 5, column: 3 });
    expect(source.locate(['h', 'g'])).toEqual({ line: 6, column: 11 });
  });

  it('points at text inside a string, or at the string when the text is not written verbatim', () => {
    expect(source.locate(['u'], 'value', '{{ v }}')).toEqual({ line: 8, column: 15 });
    expect(source.locate(['u'], 'value', 'nowhere')).toEqual({ line: 8, column: 4 });
  });

  it('falls back to the deepest node a path reaches, and to 1:1 without a document', () => {
    expect(source.locate(['a', 'zz', 'y'])).toEqual({ line: 2, column: 3 });
    expect(parseYaml('').source.locate(['x'])).toEqual({ line: 1, column: 1 });
  });
});
