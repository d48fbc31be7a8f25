// `collect test` over a folder where one collector has a recording and one has
// none: the one without is listed with the command that records it and fails
// the command only with --require-recordings, whether it was found in the
// folder or named as a path. Recording it against a local copy of its API
// (a real server on 127.0.0.1) makes --require-recordings pass.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startGithubSite } from '../../demo/sites/github-site.ts';
import { recordCommand } from '../../runtime/tools/cli/commands/record.ts';
import { runCollectorTests, testCommand } from '../../runtime/tools/cli/commands/test.ts';
import { captureIO, exampleProject, ROOT } from './support.ts';

const bookRecords = readFileSync(join(ROOT, 'collectors', 'books-toscrape.expected.jsonl'), 'utf8')
  .trim()
  .split('\n').length;
const HINT = '- github-issues: no recording (record one with: npx collect record collectors/github-issues.yaml --max-pages 2)\n';

/** books-toscrape with its recording and expected records; github-issues as a bare YAML file. */
function project(): string {
  const dir = exampleProject(['books-toscrape']);
  // Its one request a second is for api.github.com; the local copy needs no such patience.
  const yaml = readFileSync(join(ROOT, 'collectors', 'github-issues.yaml'), 'utf8').replace('perSecond: 1\n', 'perSecond: 50\n');
  writeFileSync(join(dir, 'collectors', 'github-issues.yaml'), yaml);
  return dir;
}

async function collectTest(dir: string, ...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = captureIO(dir);
  const code = await testCommand.run(args, io);
  return { code, out: io.out(), err: io.err() };
}

describe('collect test with a collector that has no recording', () => {
  it('tests the recorded one, lists the other with the command that records it, and passes', async () => {
    const dir = project();
    const { code, out, err } = await collectTest(dir);
    expect(err).toBe('');
    expect(out).toContain(`✓ books-toscrape: ${bookRecords} records match collectors/books-toscrape.expected.jsonl (`);
    expect(out).toContain(HINT);
    expect(out).toContain('\n2 collectors: 1 passed, 0 failed, 1 without recording\n');
    expect(code).toBe(0);

    const summary = await runCollectorTests([], captureIO(dir));
    expect(summary.results.map((r) => [r.name, r.status])).toEqual([
      ['books-toscrape', 'passed'],
      ['github-issues', 'unrecorded'],
    ]);
    expect(summary.ok).toBe(true);
  });

  it('fails with --require-recordings, marking the unrecorded collector as the failure', async () => {
    const dir = project();
    const { code, out } = await collectTest(dir, '--require-recordings');
    expect(out).toContain(`✓ books-toscrape: ${bookRecords} records match`);
    expect(out).toContain(HINT.replace('- ', '✗ '));
    expect(out).toContain('\n2 collectors: 1 passed, 0 failed, 1 without recording (failed: --require-recordings)\n');
    expect(code).toBe(1);
  });

  it('treats a collector named as a path the same way', async () => {
    const dir = project();
    const named = await collectTest(dir, 'collectors/github-issues.yaml');
    expect(named.out).toBe(`${HINT}\n1 collector: 0 passed, 0 failed, 1 without recording\n`);
    expect(named.code).toBe(0);
    expect((await collectTest(dir, 'collectors/github-issues.yaml', '--require-recordings')).code).toBe(1);
    // Only the named collectors count: the recorded one alone passes with the flag.
    expect((await collectTest(dir, 'collectors/books-toscrape.yaml', '--require-recordings')).code).toBe(0);
  });

  it('--update leaves an unrecorded collector alone', async () => {
    const dir = project();
    const { code, out } = await collectTest(dir, '--update');
    expect(out).toContain('✓ books-toscrape: updated');
    expect(out).toContain(HINT);
    expect(out).toContain('\n2 collectors: 1 updated, 0 failed, 1 without recording\n');
    expect(code).toBe(0);
    expect(existsSync(join(dir, 'collectors', 'github-issues.expected.jsonl'))).toBe(false);
  });

  it('passes with --require-recordings once the collector is recorded, with its site stopped', async () => {
    const dir = project();
    const site = await startGithubSite();
    try {
      const io = captureIO(dir);
      expect(
        await recordCommand.run(['collectors/github-issues.yaml', '--var', `api_url=${site.url}`, '--allow-private-network'], io),
      ).toBe(0);
      expect(io.out()).toContain('recorded 6 requests'); // robots.txt and 5 pages
    } finally {
      await site.close();
    }
    const { code, out } = await collectTest(dir, '--require-recordings');
    expect(out).toMatch(/^✓ github-issues: 13 records match collectors\/github-issues\.expected\.jsonl \(6 requests replayed/m);
    expect(out).not.toContain('no recording');
    expect(out).toContain('\n2 collectors: 2 passed, 0 failed\n');
    expect(code).toBe(0);
  });

  it('a folder of unrecorded collectors passes without the flag; a folder with no collector fails', async () => {
    const dir = exampleProject(['github-issues'], false);
    expect((await collectTest(dir)).code).toBe(0);
    expect((await collectTest(dir, '--require-recordings')).code).toBe(1);
    const empty = await collectTest(exampleProject([]));
    expect(empty.err).toContain('no .yaml or .yml files in this directory');
    expect(empty.code).toBe(1);
  });
});
