// Runs the CLI in a temporary project holding one collector file, output captured.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { main } from '../../runtime/tools/cli/main.ts';
import { tempDir } from '../helpers/collector.ts';

export interface Project {
  dir: string;
  file: string;
  run(args: string[], env?: Record<string, string | undefined>): Promise<{ code: number; stdout: string; stderr: string }>;
}

export function projectWith(name: string, yaml: string): Project {
  const dir = tempDir();
  mkdirSync(join(dir, 'collectors'));
  const file = `collectors/${name}.yaml`;
  writeFileSync(join(dir, file), yaml);
  return {
    dir,
    file,
    async run(args, env = {}) {
      const out = new PassThrough();
      const err = new PassThrough();
      let stdout = '';
      let stderr = '';
      out.on('data', (c: Buffer) => (stdout += c.toString()));
      err.on('data', (c: Buffer) => (stderr += c.toString()));
      const code = await main(args, { stdout: out, stderr: err, cwd: dir, env: { PATH: process.env.PATH, ...env } });
      return { code, stdout, stderr };
    },
  };
}
