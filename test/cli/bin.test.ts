// `npx collect` runs the bundled CLI while it is fresh and the TypeScript when
// a source is newer, so an edit never runs stale code. Each test works in a
// copy of the layout (links to the sources), so the real dist/ is never touched.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundleCli } from '../../deploy/build/cli-bundle.ts';
import { tempDir } from '../helpers/collector.ts';

function layout(): string {
  const root = tempDir('collect-bin-');
  mkdirSync(join(root, 'bin'));
  copyFileSync('bin/collect.mjs', join(root, 'bin', 'collect.mjs'));
  for (const name of ['runtime', 'schemas', 'deploy', 'node_modules', 'package.json', 'tsconfig.json']) symlinkSync(resolve(name), join(root, name));
  return root;
}

const run = (root: string, ...args: string[]) => spawnSync(process.execPath, [join(root, 'bin', 'collect.mjs'), ...args], { encoding: 'utf8', cwd: root });

describe('bin/collect.mjs', () => {
  it('runs the bundle while it is newer than the sources', async () => {
    const root = layout();
    const main = await bundleCli(root);
    // A bundle that announces itself proves which one ran.
    writeFileSync(main, "export async function main(argv, io) { io.stdout.write('from the bundle\\n'); return 0; }\n");
    const result = run(root, '--version');
    expect(result.stdout).toBe('from the bundle\n');
  });

  it('runs the TypeScript when a source is newer than the bundle', async () => {
    const root = layout();
    const main = await bundleCli(root);
    writeFileSync(main, 'throw new Error("the stale bundle ran");\n');
    const old = new Date(Date.now() - 3_600_000);
    utimesSync(main, old, old);
    const result = run(root, '--version');
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('collect 0.1.0\n');
  });

  it('bundles every command', async () => {
    const root = layout();
    await bundleCli(root);
    const result = run(root, '--help');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^ {2}validate {2}check collector files/m);
    expect(result.stdout).toMatch(/^ {2}status {4}show a run's totals/m);
  });
});
