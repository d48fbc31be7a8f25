import { existsSync, mkdtempSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { newCommand } from '../../runtime/tools/cli/commands/new.ts';
import { collectorTemplate } from '../../runtime/tools/review/new-collector.ts';
import type { Collector } from '../../runtime/language/generated/collector.types.ts';
import { loadCollectorText } from '../../runtime/language/load.ts';
import { captureIO } from './support.ts';

function project(): string {
  return mkdtempSync(join(tmpdir(), 'collect-new-'));
}

describe('collect new', () => {
  it('writes collectors/NAME.yaml with the schema line, valid as written', async () => {
    const dir = project();
    const io = captureIO(dir);
    expect(await newCommand.run(['book-shop'], io)).toBe(0);
    const file = join(dir, 'collectors', 'book-shop.yaml');
    const text = readFileSync(file, 'utf8');
    expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=../schemas/collector.schema.json');
    const result = loadCollectorText(text, 'collectors/book-shop.yaml');
    expect(result.diagnostics).toEqual([]);
    expect(result.collector?.name).toBe('book-shop');
    expect(io.out()).toContain('wrote collectors/book-shop.yaml');
  });

  it('fills the URL in: its origin as base_url, its path as the start', async () => {
    const dir = project();
    expect(await newCommand.run(['books', '--url', 'https://books.toscrape.com/catalogue/page-1.html?sort=asc'], captureIO(dir))).toBe(0);
    const text = readFileSync(join(dir, 'collectors', 'books.yaml'), 'utf8');
    const c = parse(text) as Collector;
    expect(c.variables).toEqual({ base_url: 'https://books.toscrape.com' });
    expect(c.start.urls).toEqual(['{{ base_url }}/catalogue/page-1.html?sort=asc']);
    expect(loadCollectorText(text, 'collectors/books.yaml').diagnostics).toEqual([]);
  });

  it('writes a JSON API start with --parse json', () => {
    const text = collectorTemplate({
      name: 'issues',
      url: 'https://api.github.com/repos/o/r/issues',
      parse: 'json',
      schemaPath: '../schemas/collector.schema.json',
    });
    const result = loadCollectorText(text, 'collectors/issues.yaml');
    expect(result.diagnostics).toEqual([]);
    expect(result.collector).toMatchObject({ parse: 'json', extract: { items: 'items[]' } });
  });

  it('drops nothing by surprise: no dedupe key is on until the author chooses one', () => {
    for (const parse of ['html', 'json'] as const) {
      const c = collectorTemplate({ name: 'a', parse, schemaPath: 's' });
      const spec = loadCollectorText(c, 'collectors/a.yaml').collector!;
      expect(spec.records?.dedupeKey, parse).toBeUndefined();
      expect(c).toContain('#   dedupeKey:');
    }
  });

  it("works from a subfolder of the project: the file lands in the project's collectors/", async () => {
    const dir = project();
    mkdirSync(join(dir, 'collectors'));
    mkdirSync(join(dir, 'docs'));
    expect(await newCommand.run(['from-docs'], captureIO(join(dir, 'docs')))).toBe(0);
    const text = readFileSync(join(dir, 'collectors', 'from-docs.yaml'), 'utf8');
    expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=../schemas/collector.schema.json');
  });

  it('refuses to overwrite, and refuses a bad name', async () => {
    const dir = project();
    mkdirSync(join(dir, 'collectors'));
    writeFileSync(join(dir, 'collectors', 'taken.yaml'), 'mine\n');
    const io = captureIO(dir);
    expect(await newCommand.run(['taken'], io)).toBe(1);
    expect(io.err()).toContain('collectors/taken.yaml already exists');
    expect(readFileSync(join(dir, 'collectors', 'taken.yaml'), 'utf8')).toBe('mine\n');
    await expect(newCommand.run(['Bad_Name'], captureIO(dir))).rejects.toThrow(/not a collector name/);
    expect(existsSync(join(dir, 'collectors', 'Bad_Name.yaml'))).toBe(false);
  });
});
