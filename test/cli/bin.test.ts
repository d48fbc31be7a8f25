// `npx collect` always runs the bundled CLI; a bundle older than a source is
// rebuilt first, so an edit never runs stale code. Each test works in a copy
// of the layout (links to the sources), so the real dist/ is never touched.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundleCli } from '../../deploy/build/cli-bundle.mjs';
import { userCwd } from '../../runtime/tools/cli/project.ts';
import { tempDir } from '../helpers/collector.ts';

function layout(): string {
  const root = tempDir('collect-bin-');
  mkdirSync(join(root, 'bin'));
  mkdirSync(join(root, 'deploy', 'build'), { recursive: true });
  copyFileSync('bin/collect.mjs', join(root, 'bin', 'collect.mjs'));
  copyFileSync('deploy/build/cli-bundle.mjs', join(root, 'deploy', 'build', 'cli-bundle.mjs'));
  for (const name of ['runtime', 'schemas', 'node_modules', 'package.json', 'tsconfig.json']) symlinkSync(resolve(name), join(root, name));
  for (const name of ['config', 'generate', 'pipeline', 'check', 'prices.json'])
    symlinkSync(resolve('deploy', name), join(root, 'deploy', name));
  return root;
}

const run = (root: string, ...args: string[]) =>
  spawnSync(process.execPath, [join(root, 'bin', 'collect.mjs'), ...args], { encoding: 'utf8', cwd: root });

describe('bin/collect.mjs', () => {
  it('runs the bundle while it is newer than the sources', async () => {
    const root = layout();
    const main = await bundleCli(root);
    // A bundle that announces itself proves which one ran.
    writeFileSync(
      main,
      "export const launchCwd = () => process.cwd(); export async function main(argv, io) { io.stdout.write('from the bundle\\n'); return 0; }\n",
    );
    const result = run(root, '--version');
    expect(result.stdout).toBe('from the bundle\n');
  });

  it('rebuilds the bundle when a source is newer, and runs the rebuilt one', async () => {
    const root = layout();
    const main = await bundleCli(root);
    writeFileSync(main, 'throw new Error("the stale bundle ran");\n');
    const old = new Date(Date.now() - 3_600_000);
    utimesSync(main, old, old);
    const result = run(root, '--version');
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('collect 0.1.0\n');
    expect(readFileSync(main, 'utf8')).not.toContain('the stale bundle ran');
  });

  it('builds the bundle on first use when there is none', () => {
    const root = layout();
    expect(existsSync(join(root, 'dist', 'cli', 'main.mjs'))).toBe(false);
    const result = run(root, '--help');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^ {2}validate {2}check collector files/m);
    expect(result.stdout).toMatch(/^ {2}status {4}show a collector's runs on AWS/m);
    expect(existsSync(join(root, 'dist', 'cli', 'main.mjs'))).toBe(true);
  });
});

describe('the folder a command works in', () => {
  const pkg = '/home/u/project';
  it("is the caller's folder under npm run, which starts scripts in the package root", () => {
    expect(userCwd(pkg, { INIT_CWD: `${pkg}/collectors` }, pkg)).toBe(`${pkg}/collectors`);
  });
  it('ignores an INIT_CWD left by an outer npm process', () => {
    expect(userCwd('/tmp/elsewhere', { INIT_CWD: pkg }, pkg)).toBe('/tmp/elsewhere');
    expect(userCwd(pkg, { INIT_CWD: '/somewhere/else' }, pkg)).toBe(pkg);
  });
});
