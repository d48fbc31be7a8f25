// The collector validator under hostile and broken input, at scale.
//
// `runSpecFuzz` stacks one to four seeded mutations on the real collectors
// (character, line, token, structure and YAML-feature mutations: anchors,
// aliases, merge keys, tags, block scalars, explicit keys, documents, CRLF,
// tabs, a BOM) and hands each result to `loadCollectorText`. The promise: it
// never throws, never reports an internal error, pins every diagnostic to a
// line and column of the text, a text without errors loads, and the YAML work
// of a load stays within a budget linear in the text (test/helpers/yaml-work.ts:
// lexer passes and tokens, one composition, alias expansions under the limit).
// It runs exactly `cases` cases from `seed`, whatever the machine: the tests
// run a few hundred, `npm run reliability` thousands (--fuzz-cases).
// test/spec/fuzz.test.ts runs a different generator; this one goes further and wider.
//
// `runHostileInputs` loads documents built to exhaust a parser: alias bombs,
// oversized files, deep nesting of every shape. Each must be refused with a
// clear, positioned error by the limit meant for it, at the stage meant for it
// (before lexing, by a prescan before composing, or on the composed tree), with
// the YAML work inside the same budget. Time is measured for the figures only.
import { readFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';
import type { Diagnostic } from '../../runtime/language/diagnostic.ts';
import { loadCollectorText, type LoadTextResult } from '../../runtime/language/load.ts';
import { MAX_ALIAS_COUNT, MAX_FILE_BYTES, MAX_VALUES } from '../../runtime/language/yaml-limits.ts';
import { countYamlWork, noWork, overBudget, type YamlWork } from '../helpers/yaml-work.ts';
import { pick, randomInt, seeded, type Random } from './random.ts';
import { caseChecker, type CaseResult } from './verdict.ts';

/** The valid collectors mutations start from, with the file name each must have (the name must match it). */
const SEEDS = ['collectors/books-toscrape.yaml', 'collectors/github-issues.yaml', 'test/spec/fixtures/books.yaml'].map((p) => ({
  file: `collectors/${p.split('/').pop()}`,
  text: readFileSync(new URL(`../../${p}`, import.meta.url), 'utf8'),
}));

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Container = Json[] | { [k: string]: Json };

const ODD_VALUES: Json[] = [
  0,
  -1,
  2.5,
  1e308,
  -0,
  2 ** 53 + 1,
  '',
  ' ',
  'x',
  '0x1F',
  'NaN',
  '.inf',
  '~',
  'null',
  'yes',
  'no',
  'on',
  '2024-02-30',
  '{{ name }}',
  '{{ nope }}',
  '{{',
  '${env:X}',
  '${ssm:}',
  '${env:}',
  'http://',
  'https://[::1',
  's3://',
  's3://Bad_Bucket//x',
  'rate(0 days)',
  'cron(* * * * * *)',
  'cron(0 6 * * ? *)',
  '[]',
  'a'.repeat(3000),
  '\u0000',
  '\u202e',
  '😀',
  'ä',
  '\\',
  '"',
  "'",
  true,
  false,
  null,
  [],
  [null],
  [1, 'a', {}],
  {},
  { type: 'x' },
  { selector: '' },
  { path: '[' },
  { '': 1 },
];
const KEYS = [
  'name',
  'start',
  'urls',
  'extract',
  'items',
  'fields',
  'selector',
  'attr',
  'path',
  'type',
  'required',
  'list',
  'regex',
  'paginate',
  'follow',
  'output',
  'request',
  'headers',
  'query',
  'schedule',
  'expression',
  'variables',
  'records',
  'dedupeKey',
  'scaling',
  'expect',
  'network',
  'allow',
  '<<',
  '__proto__',
  'constructor',
  'x-extra',
  '',
];
const YAML_BITS = [
  '&a ',
  '*a',
  '*missing',
  '<<: *a',
  '!!binary ',
  '!custom ',
  '!!str ',
  '? ',
  '| ',
  '>- ',
  '---',
  '...',
  '# c',
  '%YAML 1.2',
  '\t',
  '\r\n',
  '\uFEFF',
  '@',
  '`',
  '{',
  '}',
  '[',
  ']',
  ',',
  ': ',
  '- ',
  '"',
  "'",
  '\\',
];

function typo(key: string, random: Random): string {
  if (key.length < 2) return `${key}x`;
  const i = randomInt(random, key.length - 1);
  switch (randomInt(random, 4)) {
    case 0:
      return key.slice(0, i) + key.slice(i + 1);
    case 1:
      return key.slice(0, i) + key[i] + key.slice(i);
    case 2:
      return key.slice(0, i) + key[i + 1] + key[i] + key.slice(i + 2);
    default:
      return key.toUpperCase();
  }
}

function containers(value: Json, out: Container[] = []): Container[] {
  if (value !== null && typeof value === 'object') {
    out.push(value);
    for (const v of Object.values(value)) containers(v, out);
  }
  return out;
}

function nest(depth: number, random: Random): Json {
  let v: Json = pick(random, ODD_VALUES);
  for (let i = 0; i < depth; i++) v = random() < 0.5 ? [v] : { [pick(random, KEYS) || 'k']: v };
  return v;
}

/** One mutation of a YAML text. */
function mutateOnce(text: string, random: Random): string {
  const lines = text.split('\n');
  switch (randomInt(random, 9)) {
    case 0: {
      // Characters that mean something to YAML, anywhere.
      let out = text;
      for (let n = 1 + randomInt(random, 3); n > 0; n--) {
        const at = randomInt(random, out.length + 1);
        out = out.slice(0, at) + pick(random, YAML_BITS) + out.slice(at + randomInt(random, 2));
      }
      return out;
    }
    case 1: {
      // Lines: deleted, repeated, swapped, re-indented.
      const i = randomInt(random, lines.length);
      const j = randomInt(random, lines.length);
      const op = randomInt(random, 4);
      if (op === 0) lines.splice(i, 1);
      else if (op === 1) lines.splice(i, 0, lines[j]!);
      else if (op === 2) [lines[i], lines[j]] = [lines[j]!, lines[i]!];
      else lines[i] = ' '.repeat(randomInt(random, 9)) + lines[i]!.trimStart();
      return lines.join('\n');
    }
    case 2:
      // Cut short anywhere.
      return text.slice(0, randomInt(random, text.length));
    case 3: {
      // A value on a "key: value" line replaced.
      const candidates = lines.map((l, i) => [l, i] as const).filter(([l]) => /^\s*[\w-]+:\s*\S/.test(l));
      if (candidates.length === 0) return text;
      const [line, i] = pick(random, candidates);
      const value = pick(random, ODD_VALUES);
      lines[i] = line.replace(/:\s*.*$/, `: ${typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value)}`);
      return lines.join('\n');
    }
    case 4: {
      // A key misspelt.
      const candidates = lines.map((l, i) => [l, i] as const).filter(([l]) => /^\s*[\w-]+:/.test(l));
      if (candidates.length === 0) return text;
      const [line, i] = pick(random, candidates);
      lines[i] = line.replace(/[\w-]+/, (k) => typo(k, random));
      return lines.join('\n');
    }
    case 5:
    case 6: {
      // Structure: a node deleted, retyped, nested deeper or added with an odd key.
      let data: Json;
      try {
        data = parse(text, { maxAliasCount: 100, logLevel: 'silent' }) as Json;
      } catch {
        return `${text}\n${pick(random, YAML_BITS)}`;
      }
      const all = containers(data);
      if (all.length === 0) return stringify(nest(3, random));
      const target = pick(random, all);
      const keys = Object.keys(target);
      const op = randomInt(random, 4);
      if (Array.isArray(target)) {
        if (op === 0 && target.length) target.splice(randomInt(random, target.length), 1);
        else target.push(op === 3 ? nest(1 + randomInt(random, 20), random) : structuredClone(pick(random, ODD_VALUES)));
      } else if (op === 0 && keys.length) delete target[pick(random, keys)];
      else if (op === 1 && keys.length) target[pick(random, keys)] = structuredClone(pick(random, ODD_VALUES));
      else if (op === 2 && keys.length) target[pick(random, keys)] = nest(1 + randomInt(random, 20), random);
      else target[pick(random, KEYS)] = structuredClone(pick(random, ODD_VALUES));
      return stringify(data, {
        logLevel: 'silent',
        flowCollectionPadding: random() < 0.5,
        defaultStringType: pick(random, ['PLAIN', 'QUOTE_DOUBLE', 'QUOTE_SINGLE', 'BLOCK_LITERAL'] as const),
        lineWidth: pick(random, [0, 20, 80]),
      });
    }
    case 7: {
      // YAML features: an anchor on one value and aliases (or a merge) elsewhere.
      const values = lines.map((l, i) => [l, i] as const).filter(([l]) => /^\s*[\w-]+:\s*\S/.test(l));
      if (values.length < 2) return text;
      const [a, i] = pick(random, values);
      const [b, j] = pick(random, values);
      lines[i] = a.replace(/:\s*/, ': &a ');
      lines[j] = random() < 0.5 ? b.replace(/:\s*.*$/, ': *a') : b.replace(/^(\s*)[\w-]+:.*$/, '$1<<: *a');
      return lines.join('\n');
    }
    default: {
      // Whole-file encodings: CRLF, tabs for indentation, a BOM, a second document.
      const op = randomInt(random, 4);
      if (op === 0) return text.replaceAll('\n', '\r\n');
      if (op === 1) return text.replace(/^( {2})+/gm, (m) => '\t'.repeat(m.length / 2));
      if (op === 2) return `\uFEFF${text}`;
      return `${text}\n---\n${text}`;
    }
  }
}

/** Where a diagnostic is not pinned to a real place in the text, or says nothing. */
function badDiagnostic(d: Diagnostic, lineCount: number): boolean {
  return (
    !(Number.isInteger(d.line) && Number.isInteger(d.column) && d.line >= 1 && d.column >= 1 && d.line <= lineCount) ||
    d.message.trim() === '' ||
    /internal error/.test(d.message)
  );
}

export const FUZZ_SEED = 20261126;

export interface FuzzReport {
  seed: number;
  cases: number;
  /** loadCollectorText threw. Must be 0. */
  crashes: number;
  /** Diagnostics without a real position or message, or internal errors. Must be 0. */
  unpositioned: number;
  /** Texts with no error that still did not load. Must be 0. */
  unloaded: number;
  /** Loads whose YAML work went over the linear budget (overBudget). Must be 0. */
  overBudget: number;
  withErrors: number;
  diagnostics: number;
  /** Lexer tokens over all cases, and the most alias expansions of one case. */
  tokens: number;
  maxAliasExpansions: number;
  /** The first few failures, with their case number and text, to replay them. */
  examples: string[];
  /** Figures only, never a verdict: the whole run and the slowest case. */
  ms: number;
  slowestMs: number;
}

/** Exactly `cases` seeded cases (default 5,000): the same cases, in the same order, on any machine. */
export function runSpecFuzz(options: { seed?: number; cases?: number } = {}): FuzzReport {
  const seed = options.seed ?? FUZZ_SEED;
  const cases = options.cases ?? 5000;
  const random = seeded(seed);
  const report: FuzzReport = {
    seed,
    cases: 0,
    crashes: 0,
    unpositioned: 0,
    unloaded: 0,
    overBudget: 0,
    withErrors: 0,
    diagnostics: 0,
    tokens: 0,
    maxAliasExpansions: 0,
    examples: [],
    ms: 0,
    slowestMs: 0,
  };
  const t0 = performance.now();
  while (report.cases < cases) {
    const i = report.cases++;
    const seedFile = pick(random, SEEDS);
    let text = seedFile.text;
    for (let n = 1 + randomInt(random, 4); n > 0; n--) text = mutateOnce(text, random);
    const lineCount = text.split('\n').length;
    const started = performance.now();
    let result: LoadTextResult;
    let work: YamlWork;
    try {
      ({ result, work } = countYamlWork(() => loadCollectorText(text, seedFile.file)));
    } catch (err) {
      report.crashes++;
      if (report.examples.length < 5) report.examples.push(`case ${i} threw ${String(err)}\n${text}`);
      continue;
    } finally {
      report.slowestMs = Math.max(report.slowestMs, performance.now() - started);
    }
    report.tokens += work.tokens;
    report.maxAliasExpansions = Math.max(report.maxAliasExpansions, work.aliasExpansions);
    const over = overBudget(work, text);
    if (over) {
      report.overBudget++;
      if (report.examples.length < 5) report.examples.push(`case ${i}: over the work budget: ${over}\n${text}`);
    }
    report.diagnostics += result.diagnostics.length;
    const bad = result.diagnostics.filter((d) => badDiagnostic(d, lineCount));
    if (bad.length) {
      report.unpositioned += bad.length;
      if (report.examples.length < 5) report.examples.push(`case ${i}: ${JSON.stringify(bad[0])}\n${text}`);
    }
    if (result.diagnostics.some((d) => d.severity === 'error')) report.withErrors++;
    else if (!result.collector) {
      report.unloaded++;
      if (report.examples.length < 5) report.examples.push(`case ${i}: no error, yet no collector\n${text}`);
    }
  }
  report.ms = performance.now() - t0;
  return report;
}

/**
 * Where a hostile document must be refused: before the lexer sees it (its size),
 * by a lexer prescan before anything is composed (nesting, values, aliases), or
 * on the composed tree (at most one composition, alias expansions under the limit).
 */
type RefusedAt = 'size' | 'prescan' | 'tree';

export interface HostileCase {
  name: string;
  text: () => string;
  /** The error it must be refused with. */
  message: RegExp;
  at: RefusedAt;
}

function billionLaughs(kind: 'seq' | 'map'): string {
  const wrap = (items: string[]) => (kind === 'seq' ? `[${items.join(', ')}]` : `{${items.map((v, i) => `k${i}: ${v}`).join(', ')}}`);
  const lines = [`a: &a ${wrap(Array(9).fill('"lol"'))}`];
  for (let i = 1; i < 10; i++) {
    const name = String.fromCharCode(97 + i);
    lines.push(`${name}: &${name} ${wrap(Array(9).fill(`*${String.fromCharCode(96 + i)}`))}`);
  }
  return `name: bomb\n${lines.join('\n')}\n`;
}

export const HOSTILE: readonly HostileCase[] = [
  {
    name: 'billion laughs (lists, 9^10 strings)',
    text: () => billionLaughs('seq'),
    message: /aliases expand to too much data/,
    at: 'tree',
  },
  { name: 'billion laughs (mappings)', text: () => billionLaughs('map'), message: /aliases expand to too much data/, at: 'tree' },
  {
    name: 'one 20,000-item anchor aliased 500 times',
    text: () => `name: wide\nbig: &big [${Array(20_000).fill('1').join(',')}]\nuses: [${Array(500).fill('*big').join(', ')}]\n`,
    message: new RegExp(`more than ${MAX_VALUES} values`),
    at: 'prescan',
  },
  // Each alias is resolved by a walk of the whole document (yaml-limits.ts checkTree), so n aliases cost n^2.
  {
    name: '1,000 anchors, each aliased once (26 KB)',
    text: () => `name: many\n${Array.from({ length: 1000 }, (_, i) => `a${i}: &x${i} v\nb${i}: *x${i}`).join('\n')}\n`,
    message: new RegExp(`more than ${MAX_ALIAS_COUNT} aliases`),
    at: 'prescan',
  },
  // Unique-key checks and positions cost n^2 in the number of keys: a file well under 1 MiB takes seconds.
  {
    name: '10,000 keys in one mapping (89 KB)',
    text: () => `name: many\n${Array.from({ length: 10_000 }, (_, i) => `k${i}: v`).join('\n')}\n`,
    message: new RegExp(`more than ${MAX_VALUES} values`),
    at: 'prescan',
  },
  {
    name: 'a file of 5 MiB',
    text: () => `name: big\ndescription: "${'x'.repeat(5 * 1024 * 1024)}"\n`,
    message: /the limit is 1048576 \(1 MiB\)/,
    at: 'size',
  },
  {
    name: 'a file just over 1 MiB of short lines',
    text: () => `name: lines\n${'k: v\n'.repeat(Math.ceil(MAX_FILE_BYTES / 5))}`,
    message: /the limit is 1048576/,
    at: 'size',
  },
  { name: 'a key of 1 MiB', text: () => `${'k'.repeat(MAX_FILE_BYTES)}: v\n`, message: /the limit is 1048576/, at: 'size' },
  {
    name: '1,000 levels of block mappings (500 KB)',
    text: () => `${Array.from({ length: 1000 }, (_, i) => `${' '.repeat(i)}k:`).join('\n')} v\n`,
    message: /nesting is deeper than 64 levels/,
    at: 'prescan',
  },
  // Shallow enough to compose safely: the exact depth check on the tree refuses it.
  {
    name: '100 levels of block mappings',
    text: () => `${Array.from({ length: 100 }, (_, i) => `${' '.repeat(i)}k:`).join('\n')} v\n`,
    message: /nesting is deeper than 64 levels/,
    at: 'tree',
  },
  {
    name: '1,000 levels of block lists on one line',
    text: () => `a:\n  ${'- '.repeat(1000)}x\n`,
    message: /nesting is deeper than 64 levels/,
    at: 'prescan',
  },
  {
    name: 'a megabyte of "["',
    text: () => `a: ${'['.repeat(MAX_FILE_BYTES - 10)}`,
    message: /nesting is deeper than 64 levels/,
    at: 'prescan',
  },
  {
    name: '100,000 levels of flow mappings',
    text: () => `a: ${'{k: '.repeat(100_000)}1${'}'.repeat(100_000)}\n`,
    message: /nesting is deeper than 64 levels/,
    at: 'prescan',
  },
  {
    name: 'mixed flow and block nesting, 500 levels',
    text: () => `a:\n${Array.from({ length: 250 }, (_, i) => `${' '.repeat(i + 1)}k: [`).join('\n')}\n`,
    message: /nesting is deeper than 64 levels|flow/,
    at: 'prescan',
  },
  {
    name: 'deep nesting built from aliases',
    text: () => `name: t\na: &a ${'{x: '.repeat(40)}1${'}'.repeat(40)}\nb: ${'{x: '.repeat(40)}*a${'}'.repeat(40)}\n`,
    message: /nesting through aliases is deeper than 64 levels/,
    at: 'tree',
  },
  { name: 'a recursive alias', text: () => 'name: t\na: &a [1, *a]\n', message: /refers to a node that contains it/, at: 'tree' },
  { name: 'half a megabyte of binary noise', text: () => noise(512 * 1024), message: /./, at: 'tree' },
];

function noise(bytes: number): string {
  const random = seeded(7);
  return Buffer.from(Array.from({ length: bytes }, () => randomInt(random, 256))).toString('latin1');
}

export interface HostileResult extends CaseResult {
  work: YamlWork;
  /** A figure for the report, never a verdict. */
  ms: number;
}

/** What each stage allows: how far the loader may get before it refuses the text. */
function stageProblem(at: RefusedAt, work: YamlWork): string | undefined {
  if (at === 'size' && (work.lexPasses > 0 || work.composed > 0))
    return `lexed ${work.lexPasses} times and composed ${work.composed} times; a file over the size limit must be refused before the lexer sees it`;
  if (at === 'prescan' && work.composed > 0) return 'composed; it must be refused by a prescan, before anything is composed';
  // 'tree': composed at most once, alias expansions under the limit, as overBudget checks for every case.
  return undefined;
}

export function runHostileInputs(): HostileResult[] {
  // Warm the loader up, so that the first case's figure does not include compiling the schema.
  loadCollectorText(SEEDS[0]!.text, SEEDS[0]!.file);
  return HOSTILE.map((h) => {
    const { result, check } = caseChecker(h.name);
    const text = h.text();
    const lineCount = text.split('\n').length;
    const t0 = performance.now();
    let diagnostics: Diagnostic[] = [];
    let work: YamlWork | undefined;
    try {
      const counted = countYamlWork(() => loadCollectorText(text, 'collectors/hostile.yaml'));
      diagnostics = counted.result.diagnostics;
      work = counted.work;
    } catch (err) {
      check(false, `threw ${String(err)}`);
    }
    const ms = performance.now() - t0;
    const errors = diagnostics.filter((d) => d.severity === 'error');
    check(
      errors.some((d) => h.message.test(d.message)),
      `not refused with ${h.message}: ${errors
        .map((d) => d.message)
        .slice(0, 3)
        .join('; ')}`,
    );
    check(
      !diagnostics.some((d) => badDiagnostic(d, lineCount)),
      `a diagnostic without a position: ${JSON.stringify(diagnostics.find((d) => badDiagnostic(d, lineCount)))}`,
    );
    if (work) {
      const stage = stageProblem(h.at, work);
      check(stage === undefined, stage ?? '');
      const over = overBudget(work, text);
      check(over === undefined, `over the work budget: ${over}`);
    }
    return { ...result, work: work ?? noWork(), ms };
  });
}
