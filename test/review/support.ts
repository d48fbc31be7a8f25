// Helpers of the review tests: a captured CLI IO and temporary copies of the
// example collectors (so a test may break them without touching the repository).
import { copyFileSync, existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { CliIO } from '../../runtime/tools/cli/command.ts';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface CapturedIO extends CliIO {
  out(): string;
  err(): string;
}

export function captureIO(cwd: string, env: Record<string, string | undefined> = {}): CapturedIO {
  let out = '';
  let err = '';
  const sink = (append: (s: string) => void) =>
    new Writable({
      write(chunk, _enc, done) {
        append(String(chunk));
        done();
      },
    });
  return {
    stdout: sink((s) => (out += s)),
    stderr: sink((s) => (err += s)),
    cwd,
    env,
    out: () => out,
    err: () => err,
  };
}

/** A temporary project with copies of the named example collectors and their recordings. */
export function exampleProject(names: string[], withRecordings = true): string {
  const dir = mkdtempSync(join(tmpdir(), 'collect-review-'));
  mkdirSync(join(dir, 'collectors'));
  for (const name of names) {
    const exts = withRecordings ? ['.yaml', '.har', '.expected.jsonl'] : ['.yaml'];
    for (const ext of exts) {
      const from = join(ROOT, 'collectors', name + ext);
      if (existsSync(from)) copyFileSync(from, join(dir, 'collectors', name + ext));
    }
  }
  return dir;
}
