// `collect deploy` against a fake `terraform` on PATH that records its arguments,
// with the validate/test/build steps replaced by recording functions.
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MISSING_CREDENTIALS, MISSING_TERRAFORM, credentialSource } from '../../deploy/pipeline/preflight.ts';
import { recordedCollectors, type DeploySteps } from '../../deploy/pipeline/steps.ts';
import { createDeployCommand } from '../../runtime/tools/cli/commands/deploy.ts';
import { writeProject } from './helpers.ts';

// Records the working directory and every argument, one tab-separated line per run.
const FAKE_TERRAFORM = `#!/bin/sh
{ printf '%s' "$(pwd)"; for a in "$@"; do printf '\\t%s' "$a"; done; printf '\\n'; } >> "$FAKE_TERRAFORM_LOG"
if [ "$1" = plan ]; then exit "\${FAKE_TERRAFORM_PLAN_EXIT:-2}"; fi
exit 0
`;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  /** Each terraform run: [cwd, ...args]. */
  terraform: string[][];
  steps: string[];
}

describe('collect deploy', () => {
  let dir: string;
  let bin: string;
  let log: string;
  let env: Record<string, string>;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'collect-deploy-'));
    await writeProject(dir);
    bin = join(dir, 'fake-bin');
    await mkdir(bin);
    await writeFile(join(bin, 'terraform'), FAKE_TERRAFORM);
    await chmod(join(bin, 'terraform'), 0o755);
    log = join(dir, 'terraform.log');
    env = { PATH: bin, HOME: dir, FAKE_TERRAFORM_LOG: log, AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE', AWS_SECRET_ACCESS_KEY: 'secret' };
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function deploy(
    argv: string[],
    options: { stdin?: string; fail?: 'validate' | 'test' | 'build'; env?: Record<string, string | undefined> } = {},
  ): Promise<Run> {
    const calls: string[] = [];
    const steps: DeploySteps = {
      async validate() {
        calls.push('validate');
        return options.fail !== 'validate';
      },
      async test() {
        calls.push('test');
        return options.fail !== 'test';
      },
      async build() {
        calls.push('build');
        if (options.fail === 'build') throw new Error('npm run build failed (exit 1)');
      },
    };
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    const out: string[] = [];
    const err: string[] = [];
    stdout.on('data', (c: Buffer) => out.push(c.toString()));
    stderr.on('data', (c: Buffer) => err.push(c.toString()));
    const command = createDeployCommand({ stdin: Readable.from(options.stdin === undefined ? [] : [options.stdin]), steps });
    const code = await command.run(argv, { stdout, stderr, cwd: dir, env: options.env ?? env });
    const text = await readFile(log, 'utf8').catch(() => '');
    const terraform = text
      .split('\n')
      .filter(Boolean)
      .map((line) => line.split('\t'));
    return { code, stdout: out.join(''), stderr: err.join(''), terraform, steps: calls };
  }

  const workdir = (): string => join(dir, 'deploy/terraform');

  it('validates, tests, builds, generates, then runs terraform init, plan and (after "yes") apply of the saved plan', async () => {
    const run = await deploy([], { stdin: 'yes\n' });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.steps).toEqual(['validate', 'test', 'build']);
    expect(run.terraform).toEqual([
      [workdir(), 'init', '-no-color', '-input=false', '-reconfigure', '-backend-config=environments/dev.s3.tfbackend'],
      [workdir(), 'plan', '-no-color', '-input=false', '-detailed-exitcode', '-var-file=environments/dev.tfvars', '-out=dev.tfplan'],
      [workdir(), 'apply', '-no-color', '-input=false', 'dev.tfplan'],
    ]);
    const titles = [...run.stdout.matchAll(/==> \[(\d)\/7\] (.*)/g)].map((m) => `${m[1]} ${m[2]}`);
    expect(titles).toEqual([
      '1 Validate the collectors',
      '2 Replay the recorded collector tests',
      '3 Build the function bundle',
      '4 Generate the Terraform of the collectors',
      '5 terraform init (state of "dev")',
      '6 terraform plan',
      '7 terraform apply',
    ]);
    expect(run.stdout).toContain('Apply the plan above to environment "dev"? Only "yes" applies: ');
    // The generate step wrote what init and plan read.
    expect(await readFile(join(workdir(), 'environments/dev.s3.tfbackend'), 'utf8')).toContain(
      'key          = "collect/dev/terraform.tfstate"',
    );
    expect(await readFile(join(workdir(), 'generated/collector_alpha.tf'), 'utf8')).toContain('resource "aws_scheduler_schedule" "alpha"');
  });

  it('applies nothing when the answer is not "yes"', async () => {
    for (const answer of ['no\n', 'y\n', '']) {
      await rm(log, { force: true });
      const run = await deploy([], { stdin: answer });
      expect(run.code).toBe(1);
      expect(run.stderr).toBe('Apply cancelled: nothing was changed.\n');
      expect(run.terraform.map((t) => t[1])).toEqual(['init', 'plan']);
    }
  });

  it('--yes applies without asking', async () => {
    const run = await deploy(['--yes']);
    expect(run.code).toBe(0);
    expect(run.stdout).not.toContain('Only "yes" applies');
    expect(run.terraform.map((t) => t[1])).toEqual(['init', 'plan', 'apply']);
  });

  it('--plan-only stops after the plan', async () => {
    const run = await deploy(['--plan-only']);
    expect(run.code).toBe(0);
    expect(run.terraform.map((t) => t[1])).toEqual(['init', 'plan']);
    expect(run.stdout).toContain('==> [6/6] terraform plan');
    expect(run.stdout).toContain('Plan only: nothing was applied.');
  });

  it('--env prod uses the state and the variables of prod', async () => {
    const run = await deploy(['--env', 'prod', '--yes']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Deploying environment "prod" to eu-west-1 (function collect-prod)');
    expect(run.terraform).toEqual([
      [workdir(), 'init', '-no-color', '-input=false', '-reconfigure', '-backend-config=environments/prod.s3.tfbackend'],
      [workdir(), 'plan', '-no-color', '-input=false', '-detailed-exitcode', '-var-file=environments/prod.tfvars', '-out=prod.tfplan'],
      [workdir(), 'apply', '-no-color', '-input=false', 'prod.tfplan'],
    ]);
    expect(await readFile(join(workdir(), 'environments/prod.s3.tfbackend'), 'utf8')).toContain(
      'key          = "collect/prod/terraform.tfstate"',
    );
  });

  it('stops after the plan when there is nothing to change', async () => {
    const run = await deploy([], { env: { ...env, FAKE_TERRAFORM_PLAN_EXIT: '0' } });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('No changes: "dev" already matches the configuration.');
    expect(run.terraform.map((t) => t[1])).toEqual(['init', 'plan']);
  });

  it('fails when the plan fails, without applying', async () => {
    const run = await deploy(['--yes'], { env: { ...env, FAKE_TERRAFORM_PLAN_EXIT: '1' } });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('collect deploy: terraform plan failed\n');
    expect(run.terraform.map((t) => t[1])).toEqual(['init', 'plan']);
  });

  it('stops at the first failing step, before Terraform', async () => {
    for (const [fail, expected, message] of [
      ['validate', ['validate'], 'the collectors have errors'],
      ['test', ['validate', 'test'], 'collector tests failed'],
      ['build', ['validate', 'test', 'build'], 'npm run build failed'],
    ] as const) {
      const run = await deploy(['--yes'], { fail });
      expect(run.code).toBe(1);
      expect(run.steps).toEqual(expected);
      expect(run.stderr).toContain(message);
      expect(run.terraform).toEqual([]);
    }
  });

  it('says how to install terraform when it is not on PATH, before running anything', async () => {
    const empty = join(dir, 'empty-bin');
    await mkdir(empty);
    const run = await deploy(['--yes'], { env: { ...env, PATH: empty } });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(`${MISSING_TERRAFORM}\n`);
    expect(run.stderr).toContain('Install Terraform 1.10 or later');
    expect(run.steps).toEqual([]);
  });

  it('says how to provide AWS credentials when there are none, before running anything', async () => {
    const run = await deploy(['--yes'], { env: { PATH: bin, HOME: dir, FAKE_TERRAFORM_LOG: log } });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(`${MISSING_CREDENTIALS}\n`);
    expect(run.stderr).toContain('AWS_PROFILE');
    expect(run.steps).toEqual([]);
    expect(run.terraform).toEqual([]);
  });

  it('reports a broken project config or an unknown environment before running anything', async () => {
    const run = await deploy(['--env', 'staging']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('no environment "staging"; the config defines "dev", "prod"');
    expect(run.steps).toEqual([]);
  });
});

describe('deploy preflight and steps', () => {
  it('finds credentials in the environment or a default profile, and nowhere else', async () => {
    const home = await mkdtemp(join(tmpdir(), 'collect-home-'));
    try {
      expect(credentialSource({ HOME: home })).toBeUndefined();
      expect(credentialSource({ HOME: home, AWS_ACCESS_KEY_ID: 'a' })).toBeUndefined();
      expect(credentialSource({ HOME: home, AWS_ACCESS_KEY_ID: 'a', AWS_SECRET_ACCESS_KEY: 'b' })).toBe('AWS_ACCESS_KEY_ID');
      expect(credentialSource({ HOME: home, AWS_PROFILE: 'data' })).toBe('AWS_PROFILE=data');
      expect(credentialSource({ HOME: home, AWS_WEB_IDENTITY_TOKEN_FILE: '/t' })).toBe('AWS_WEB_IDENTITY_TOKEN_FILE');
      expect(credentialSource({ HOME: home, AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: '/v2/credentials' })).toBe('container credentials');
      await mkdir(join(home, '.aws'));
      await writeFile(join(home, '.aws', 'config'), '[profile other]\nregion = eu-west-1\n');
      expect(credentialSource({ HOME: home })).toBeUndefined();
      await writeFile(join(home, '.aws', 'config'), '[default]\nregion = eu-west-1\n');
      expect(credentialSource({ HOME: home })).toBe(`the default profile in ${join(home, '.aws', 'config')}`);
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  });

  it('replays only the collectors that have a recording', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'collect-recorded-'));
    try {
      await mkdir(join(dir, 'collectors'));
      for (const name of ['a.yaml', 'a.har', 'b.yaml', 'c.yml', 'c.har', 'orphan.har']) await writeFile(join(dir, 'collectors', name), '');
      expect(await recordedCollectors(dir, ['collectors'])).toEqual(['collectors/a.yaml', 'collectors/c.yml']);
      expect(await recordedCollectors(dir, ['collectors/b.yaml', 'collectors/a.yaml', 'missing'])).toEqual(['collectors/a.yaml']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
