// A `collect` command run in process, as the CLI would run it, with what it printed.
import { PassThrough } from 'node:stream';
import type { Command } from '../../runtime/tools/cli/command.ts';

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runCommand(command: Command, argv: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<CommandResult> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: string[] = [];
  const err: string[] = [];
  stdout.on('data', (c: Buffer) => out.push(c.toString()));
  stderr.on('data', (c: Buffer) => err.push(c.toString()));
  const code = await command.run(argv, { stdout, stderr, cwd, env });
  return { code, stdout: out.join(''), stderr: err.join('') };
}
