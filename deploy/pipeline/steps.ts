// The steps of a deploy that are not Terraform, as functions a test can replace:
// by default they run the project's own commands in child processes.
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import { run } from './spawn.ts';

export interface DeploySteps {
  /** `collect validate`: true when no collector has an error. */
  validate(): Promise<boolean>;
  /** `collect test` on the recorded collectors: true when they pass (or there are none). */
  test(): Promise<boolean>;
  /** `npm run build`: writes dist/lambda.zip; throws when it fails. */
  build(): Promise<void>;
}

export interface StepContext {
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  stdout: Writable;
  stderr: Writable;
  /** Collector files or directories. */
  collectors: string[];
}

class BuildError extends Error {
  override readonly name = 'BuildError';
}

export function defaultSteps(ctx: StepContext): DeploySteps {
  const npx = (...args: string[]): Promise<number> => run('npx', ['--no-install', ...args], ctx);
  return {
    async validate() {
      return (await npx('collect', 'validate', ...ctx.collectors)) === 0;
    },
    async test() {
      const recorded = await recordedCollectors(ctx.cwd, ctx.collectors);
      if (recorded.length === 0) {
        ctx.stdout.write('no recordings (collectors/NAME.har): nothing to replay\n');
        return true;
      }
      return (await npx('collect', 'test', ...recorded)) === 0;
    },
    async build() {
      const code = await run('npm', ['run', 'build'], ctx);
      if (code !== 0) throw new BuildError(`npm run build failed (exit ${code})`);
    },
  };
}

/** Collector files that have a recording beside them (collectors/NAME.yaml + NAME.har). */
export async function recordedCollectors(cwd: string, paths: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const p of paths) {
    const info = await stat(join(cwd, p)).catch(() => undefined);
    if (!info) continue; // validate reports it
    const files = info.isDirectory() ? (await readdir(join(cwd, p))).sort().map((n) => join(p, n)) : [p];
    for (const file of files) {
      if (!/\.ya?ml$/i.test(file)) continue;
      const har = file.replace(/\.ya?ml$/i, '.har');
      if (
        await stat(join(cwd, har)).then(
          (s) => s.isFile(),
          () => false,
        )
      )
        out.push(file);
    }
  }
  return out;
}
