// Runs the `collect` CLI in this process with captured output, the way
// bin/collect.mjs runs it, so a scenario sees the exit code and the summary.
import { Writable } from 'node:stream';
import { main } from '../../runtime/tools/cli/main.ts';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

function sink(chunks: string[]): Writable {
  return new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      chunks.push(typeof chunk === 'string' ? chunk : chunk.toString('utf8'));
      done();
    },
  });
}

export async function runCliInProcess(
  argv: string[],
  options: { cwd?: string; env?: Record<string, string | undefined> } = {},
): Promise<CliResult> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, {
    stdout: sink(out),
    stderr: sink(err),
    cwd: options.cwd ?? process.cwd(),
    env: options.env ?? process.env,
  });
  return { code, stdout: out.join(''), stderr: err.join('') };
}
