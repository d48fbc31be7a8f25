// The contract of one CLI command: each lives in its own file under
// runtime/tools/cli/commands/ and is listed once in runtime/tools/cli/registry.ts.
import type { Writable } from 'node:stream';

export interface CliIO {
  stdout: Writable & { isTTY?: boolean };
  stderr: Writable & { isTTY?: boolean };
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
}

export interface Command {
  name: string;
  /** One line for `collect --help`. */
  summary: string;
  /** Full usage text for `collect NAME --help`: synopsis, every option, an example. */
  usage: string;
  /** Returns the process exit code. */
  run(argv: string[], io: CliIO): Promise<number>;
}

/** A mistake in how the command was called: printed with the usage, exit 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
