import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatDiagnosticText } from '../../runtime/language/diagnostic.ts';
import { SpecError, loadCollectorFile, loadCollectorText, loadCollectors } from '../../runtime/language/load.ts';
import { MAX_FILE_BYTES } from '../../runtime/language/yaml-limits.ts';
import { doc } from './helpers.ts';

const repo = join(import.meta.dirname, '..', '..');
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'collect-spec-'));
  await mkdir(join(dir, 'collectors', 'nested'), { recursive: true });
  await mkdir(join(dir, 'empty'));
  await writeFile(join(dir, 'collectors', 'b.yaml'), doc().replace('name: t', 'name: b'));
  await writeFile(join(dir, 'collectors', 'a.yml'), doc().replace('name: t', 'name: a'));
  await writeFile(join(dir, 'collectors', 'notes.txt'), 'not a collector');
  await writeFile(join(dir, 'collectors', 'nested', 'c.yaml'), doc().replace('name: t', 'name: c'));
  await mkdir(join(dir, 'dup'));
  await writeFile(join(dir, 'dup', 'a.yaml'), doc().replace('name: t', 'name: a'));
  await writeFile(join(dir, 'dup', 'b.yaml'), doc().replace('name: t', 'name: a'));
  await writeFile(join(dir, 'broken.yaml'), doc('paginate:', '  type: next-link', '  selectr: a').replace('name: t', 'name: broken'));
  await writeFile(join(dir, 'big.yaml'), `name: t\ndescription: "${'x'.repeat(MAX_FILE_BYTES)}"\n`);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('loadCollectorText', () => {
  it('returns the collector as written and resolved, the sha256 of the text, and no diagnostics', () => {
    const text = doc('request:', '  retries: {}');
    const result = loadCollectorText(text, 'collectors/t.yaml');
    expect(result.diagnostics).toEqual([]);
    expect(result.hash).toBe(createHash('sha256').update(text).digest('hex'));
    // Resolved once: every default of the schema is there, and what was written is kept.
    expect(result.collector?.request.retries).toEqual({
      attempts: 3,
      baseDelaySeconds: 0.5,
      maxDelaySeconds: 30,
      statuses: [408, 425, 429, 500, 502, 503, 504],
    });
    expect(result.collector?.scaling.pagesPerTask).toBe(50);
    expect(result.written).toEqual({
      name: 't',
      owner: 'team@example.com',
      start: { urls: ['https://example.com/a'] },
      extract: { fields: { title: 'h1' } },
      output: 's3://bucket-a/raw',
      expect: { minRecords: 1 },
      request: { retries: {} },
    });
  });

  it('returns no collector when there is an error', () => {
    const result = loadCollectorText(doc('bogus: 1'), 'collectors/t.yaml');
    expect(result.collector).toBeUndefined();
    expect(result.diagnostics).toHaveLength(1);
  });

  it('reports schema and lint mistakes of one file together', () => {
    const text = doc('paginate:', '  type: next-link', '  selectr: a', 'schedule:', '  expression: rate(1 days)');
    expect(loadCollectorText(text, 'collectors/t.yaml').diagnostics.map(formatDiagnosticText)).toEqual([
      'collectors/t.yaml:13:3 error paginate.selectr: unknown option "selectr" (did you mean "selector"?)',
      'collectors/t.yaml:15:15 error schedule.expression: rate(1 days): use the singular for 1 (rate(1 day))',
    ]);
  });
});

describe('loadCollectorFile', () => {
  it('loads a valid file, with its path relative to the working directory', async () => {
    const loaded = await loadCollectorFile(join(dir, 'collectors', 'b.yaml'), dir);
    expect(loaded.file).toBe('collectors/b.yaml');
    expect(loaded.collector.name).toBe('b');
    expect(loaded.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(loaded.warnings).toEqual([]);
  });

  it('throws a SpecError that lists every problem', async () => {
    const err = await loadCollectorFile('broken.yaml', dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SpecError);
    const spec = err as SpecError;
    expect(spec.name).toBe('SpecError');
    expect(spec.diagnostics.map((d) => d.path)).toEqual(['paginate.selectr']);
    expect(spec.message).toBe(
      'broken.yaml: 1 error\nbroken.yaml:13:3 error paginate.selectr: unknown option "selectr" (did you mean "selector"?)',
    );
  });

  it('throws a SpecError for a missing file and for one over 1 MiB, without reading it', async () => {
    await expect(loadCollectorFile('missing.yaml', dir)).rejects.toThrow(
      'missing.yaml: 1 error\nmissing.yaml:1:1 error cannot read: no such file or directory',
    );
    await expect(loadCollectorFile('big.yaml', dir)).rejects.toThrow(
      `big.yaml:1:1 error file is ${MAX_FILE_BYTES + 24} bytes; the limit is ${MAX_FILE_BYTES} (1 MiB)`,
    );
  });
});

describe('loadCollectors', () => {
  it('expands a directory to its .yaml and .yml files, sorted, not recursively', async () => {
    const { loaded, diagnostics, files } = await loadCollectors(['collectors'], dir);
    expect(diagnostics).toEqual([]);
    expect(files).toEqual(['collectors/a.yml', 'collectors/b.yaml']);
    expect(loaded.map((l) => [l.file, l.collector.name])).toEqual([
      ['collectors/a.yml', 'a'],
      ['collectors/b.yaml', 'b'],
    ]);
  });

  it('takes files and directories together, each file once', async () => {
    const { files } = await loadCollectors(['collectors/b.yaml', 'collectors', 'collectors/nested/c.yaml'], dir);
    expect(files).toEqual(['collectors/b.yaml', 'collectors/a.yml', 'collectors/nested/c.yaml']);
  });

  it('refuses two files with the same name, at the second one', async () => {
    const { loaded, diagnostics } = await loadCollectors(['dup'], dir);
    expect(loaded.map((l) => l.file)).toEqual(['dup/a.yaml']);
    expect(diagnostics.map(formatDiagnosticText)).toEqual([
      'dup/b.yaml:1:7 error name: name "a" differs from the file name "b.yaml" (name the file a.yaml or set name: b)',
      'dup/b.yaml:1:7 error name: name "a" is also used by dup/a.yaml (collector names must be unique)',
    ]);
  });

  it('reports missing paths and empty directories, and keeps the valid files', async () => {
    const { loaded, diagnostics } = await loadCollectors(['nope', 'empty', 'broken.yaml', 'collectors/a.yml'], dir);
    expect(loaded.map((l) => l.file)).toEqual(['collectors/a.yml']);
    expect(diagnostics.map(formatDiagnosticText)).toEqual([
      'nope:1:1 error cannot read: no such file or directory',
      'empty:1:1 error no .yaml or .yml files in this directory',
      'broken.yaml:13:3 error paginate.selectr: unknown option "selectr" (did you mean "selector"?)',
    ]);
  });
});

describe('the collectors of this repository', () => {
  it('validate with zero errors and zero warnings', async () => {
    const { loaded, diagnostics, files } = await loadCollectors(['collectors'], repo);
    expect(diagnostics.map(formatDiagnosticText)).toEqual([]);
    expect(files).toContain('collectors/books-toscrape.yaml');
    expect(files).toContain('collectors/github-issues.yaml');
    expect(loaded).toHaveLength(files.length);
  });

  it('and so does the fixture of these tests', async () => {
    const { diagnostics, loaded } = await loadCollectors(['test/spec/fixtures'], repo);
    expect(diagnostics).toEqual([]);
    expect(loaded.map((l) => l.collector.name)).toEqual(['books']);
  });
});
