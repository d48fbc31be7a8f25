import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBooksSite, type RunningSite } from '../../demo/sites/books-site.ts';
import { runCommand } from '../../runtime/tools/cli/commands/run.ts';
import { main } from '../../runtime/tools/cli/main.ts';
import { tempDir } from '../helpers/collector.ts';
import { findFiles } from '../helpers/parts.ts';

let site: RunningSite;
beforeAll(async () => (site = await startBooksSite({ detailCount: 20, perPage: 10 })));
afterAll(() => site.close());

function io(cwd: string) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const text = { out: '', err: '' };
  stdout.on('data', (c: Buffer) => (text.out += c.toString()));
  stderr.on('data', (c: Buffer) => (text.err += c.toString()));
  return { io: { stdout, stderr, cwd, env: process.env }, text };
}

describe('collect run', () => {
  it('--stdout writes records as JSON Lines to stdout and everything else to stderr', async () => {
    const out = tempDir();
    const { io: streams, text } = io(process.cwd());
    const code = await runCommand.run(
      ['collectors/books-toscrape.yaml', '--var', `base_url=${site.url}`, '--allow-private-network', '--stdout', '--out', out],
      streams,
    );
    const lines = text.out.trim().split('\n');
    expect(lines).toHaveLength(20);
    expect(JSON.parse(lines[0]!)).toMatchObject({ title: 'A Light in the Attic', upc: 'a897fe39b1053632' });
    expect(text.err).toMatch(/records +20/);
    expect(text.err).toMatch(/expectation not met: expected at least 1000 records, got 20/);
    expect(code).toBe(1); // the example expects the real site's 1,000 books
    // No part files, but the run's manifest and checkpoint sit in its folder under --out.
    expect(findFiles(out, /\.jsonl\.gz$/)).toEqual([]);
    const manifests = findFiles(out, /^_manifest\.json$/);
    expect(manifests).toHaveLength(1);
    expect(existsSync(join(manifests[0]!, '..', '_checkpoint.jsonl'))).toBe(true);
  });

  it('refuses a bad option value with the usage', async () => {
    const { io: streams } = io(process.cwd());
    await expect(runCommand.run(['collectors/books-toscrape.yaml', '--limit', 'many'], streams)).rejects.toThrow(
      /--limit takes a whole number/,
    );
  });

  it('--help prints the usage that docs/commands.md shows', async () => {
    const { io: streams, text } = io(process.cwd());
    expect(await main(['run', '--help'], streams)).toBe(0);
    expect(text.out).toBe(`${runCommand.usage}\n`);
  });
});
