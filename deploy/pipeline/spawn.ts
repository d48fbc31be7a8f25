// Runs a child process with its output copied to the command's streams, so tests
// that capture those streams see it too.
import { spawn } from 'node:child_process';
import type { Writable } from 'node:stream';

export interface SpawnOptions {
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  stdout: Writable;
  stderr: Writable;
}

/** Resolves with the exit code (a signal counts as 1); rejects only if the program cannot start. */
export function run(program: string, args: readonly string[], options: SpawnOptions): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { cwd: options.cwd, env: { ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (chunk: Buffer) => options.stdout.write(chunk));
    child.stderr.on('data', (chunk: Buffer) => options.stderr.write(chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve(code ?? 1));
  });
}
