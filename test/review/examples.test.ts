// `npm test` runs `collect test` over every collector of collectors/: each one
// with a recording replays with no network and matches its expected records; one
// without (a collector just added) is listed, not failed.
import { readdirSync, existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCollectorTests } from '../../runtime/tools/cli/commands/test.ts';
import { readHar } from '../../runtime/tools/review/har.ts';
import { captureIO, ROOT } from './support.ts';

const collectors = readdirSync(join(ROOT, 'collectors')).filter((f) => /\.ya?ml$/.test(f));
const recorded = collectors.filter((f) => existsSync(join(ROOT, 'collectors', f.replace(/\.ya?ml$/, '.har'))));

describe('collect test over collectors/', () => {
  it('every recorded collector replays offline and matches its expected records', async () => {
    const io = captureIO(ROOT);
    const summary = await runCollectorTests([], io);
    expect(io.err()).toBe('');
    const replayed = summary.results.filter((r) => r.status !== 'unrecorded');
    expect(replayed.map((r) => [r.name, r.status, r.problems])).toEqual(replayed.map((r) => [r.name, 'passed', []]));
    expect(summary.ok).toBe(true);
    expect(summary.results).toHaveLength(collectors.length);
    expect(replayed).toHaveLength(recorded.length);
    expect(recorded.length).toBeGreaterThanOrEqual(1);
    for (const r of replayed) {
      expect(r.comparison?.actual).toBeGreaterThan(0);
      expect(r.replay?.misses).toEqual([]);
    }
    expect(io.out()).toMatch(/collectors?: \d+ passed, 0 failed/);
  });

  for (const file of recorded) {
    const stem = file.replace(/\.ya?ml$/, '');
    it(`${stem} has a small HAR 1.2 recording and expected records beside it`, async () => {
      const har = join(ROOT, 'collectors', `${stem}.har`);
      expect(existsSync(join(ROOT, 'collectors', `${stem}.expected.jsonl`))).toBe(true);
      expect(statSync(har).size).toBeLessThan(512 * 1024);
      const parsed = await readHar(har);
      expect(parsed.log.version).toBe('1.2');
      expect(parsed.log._collect?.collector).toBe(stem);
      for (const e of parsed.log.entries) {
        expect(e.request.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
        expect(typeof e.startedDateTime).toBe('string');
        expect(e.response.content).toHaveProperty('mimeType');
      }
    });
  }
});
