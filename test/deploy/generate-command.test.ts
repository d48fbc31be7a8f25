import { runCommand } from '../helpers/command.ts';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateCommand } from '../../runtime/tools/cli/commands/generate.ts';
import { CONFIG_YAML, collectorYaml, writeProject } from './helpers.ts';

const run = (argv: string[], cwd: string) => runCommand(generateCommand, argv, cwd);

describe('collect generate', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'collect-generate-'));
    await writeProject(dir);
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes the generated module and the environment files, then finds them up to date', async () => {
    const first = await run([], dir);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('deploy/terraform/generated/collector_alpha.tf created');
    expect((await readdir(join(dir, 'deploy/terraform/generated'))).sort()).toEqual([
      'collector_alpha.tf',
      'collector_beta.tf',
      'collectors.tf',
      'variables.tf',
    ]);
    expect((await readdir(join(dir, 'deploy/terraform/environments'))).sort()).toEqual([
      'dev.s3.tfbackend',
      'dev.tfvars',
      'prod.s3.tfbackend',
      'prod.tfvars',
    ]);
    expect(await readFile(join(dir, 'deploy/terraform/generated/collector_alpha.tf'), 'utf8')).toContain(
      'schedule_expression          = "rate(1 hour)"',
    );

    const again = await run([], dir);
    expect(again).toMatchObject({ code: 0, stdout: 'generated Terraform is up to date\n' });
    const check = await run(['--check'], dir);
    expect(check).toMatchObject({ code: 0, stdout: 'generated Terraform is up to date (2 collectors)\n' });
  });

  it('--check fails on a missing, a stale and a left-over file, and writes nothing', async () => {
    expect((await run(['--check'], dir)).stderr).toContain('deploy/terraform/generated/collector_alpha.tf is missing');
    await run([], dir);

    await writeFile(join(dir, 'collectors', 'beta.yaml'), collectorYaml('beta', 'scaling:\n  batchSize: 9\n'));
    const stale = await run(['--check'], dir);
    expect(stale.code).toBe(1);
    expect(stale.stderr).toBe(
      'deploy/terraform/generated/collector_beta.tf is out of date\nRun `npx collect generate` and commit the result.\n',
    );
    expect(await readFile(join(dir, 'deploy/terraform/generated/collector_beta.tf'), 'utf8')).toContain(
      'batch_size                         = 5',
    );

    await rm(join(dir, 'collectors', 'alpha.yaml'));
    const removed = await run(['--check'], dir);
    expect(removed.code).toBe(1);
    expect(removed.stderr).toContain('deploy/terraform/generated/collector_alpha.tf should not exist any more');
    // Nothing shared names it: only its own file goes.
    expect(removed.stderr).not.toContain('collectors.tf');

    const fixed = await run([], dir);
    expect(fixed.stdout).toContain('deploy/terraform/generated/collector_alpha.tf deleted');
    expect(fixed.stdout).toContain('deploy/terraform/generated/collector_beta.tf updated');
    expect((await readdir(join(dir, 'deploy/terraform/generated'))).sort()).toEqual(['collector_beta.tf', 'collectors.tf', 'variables.tf']);
    expect((await run(['--check'], dir)).code).toBe(0);
  });

  it('notices a change of the project config', async () => {
    await run([], dir);
    await writeFile(join(dir, 'collect.config.yaml'), CONFIG_YAML.replace('memoryMb: 1024', 'memoryMb: 2048'));
    const check = await run(['--check'], dir);
    expect(check.code).toBe(1);
    expect(check.stderr).toBe(
      'deploy/terraform/environments/prod.tfvars is out of date\nRun `npx collect generate` and commit the result.\n',
    );
  });

  it('generates nothing while a collector has errors', async () => {
    await writeFile(join(dir, 'collectors', 'beta.yaml'), 'name: beta\nstart: {}\n');
    await expect(run([], dir)).rejects.toThrow(/the collectors have errors; fix them first/);
    await expect(readdir(join(dir, 'deploy'))).rejects.toThrow(/ENOENT/);
  });

  it('generates an empty module once the last collector is removed', async () => {
    await run([], dir);
    await rm(join(dir, 'collectors', 'alpha.yaml'));
    await rm(join(dir, 'collectors', 'beta.yaml'));
    const result = await run([], dir);
    expect(result.code).toBe(0);
    expect((await readdir(join(dir, 'deploy/terraform/generated'))).sort()).toEqual(['collectors.tf', 'variables.tf']);
  });
});
