import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ProjectConfigError } from '../../deploy/config/errors.ts';
import { loadProjectConfig, loadProjectEnvironments, parseProjectConfig } from '../../deploy/config/project-config.ts';
import { CONFIG_YAML, repoRoot } from './helpers.ts';

const minimal = `
region: eu-west-1
state: { bucket: tf-state }
bucket: { name: out-bucket }
environments:
  dev: {}
`;

function problems(text: string, env?: string): string[] {
  try {
    parseProjectConfig(text, 'collect.config.yaml', env);
  } catch (err) {
    if (err instanceof ProjectConfigError) return err.message.split('\n');
    throw err;
  }
  throw new Error('expected a ProjectConfigError');
}

describe('loadProjectConfig', () => {
  it('applies every default', () => {
    const config = parseProjectConfig(minimal, 'collect.config.yaml');
    expect(config).toEqual({
      environment: 'dev',
      region: 'eu-west-1',
      functionName: 'collect',
      memoryMb: 512,
      timeoutSeconds: 300,
      runtime: 'nodejs22.x',
      architecture: 'arm64',
      logLevel: 'INFO',
      logSampleRate: 0,
      logRetentionDays: 14,
      recursiveLoop: 'Terminate',
      bucket: { name: 'out-bucket', create: true },
      queue: { retentionDays: 4, maxReceiveCount: 5 },
      alarm: {},
      state: { bucket: 'tf-state', key: 'collect/dev/terraform.tfstate', region: 'eu-west-1' },
      ssm: { kmsKeyArns: [], pathPrefix: '/collect/' },
      iam: { scope: 'project' },
      tags: {},
      env: {},
      runs: { stalledAfterMinutes: 180, retentionDays: 90, pointInTimeRecovery: false },
      concurrency: { accountLimit: 1000 },
      environments: { dev: expect.objectContaining({ functionName: 'collect' }) },
    });
  });

  it('takes the account concurrency limit and a reserved concurrency, per environment', () => {
    const text = `${CONFIG_YAML}concurrency: { accountLimit: 3000 }\n`.replace(
      '    functionName: collect-prod\n',
      '    functionName: collect-prod\n    concurrency: { reserved: 400 }\n',
    );
    expect(parseProjectConfig(text, 'c.yaml').concurrency).toEqual({ accountLimit: 3000 });
    expect(parseProjectConfig(text, 'c.yaml', 'prod').concurrency).toEqual({ accountLimit: 3000, reserved: 400 });
    expect(() => parseProjectConfig(`${CONFIG_YAML}concurrency: { reserved: 0 }\n`, 'c.yaml')).toThrow(/concurrency\.reserved/);
  });

  it('merges the overrides of the chosen environment, objects key by key', () => {
    const dev = parseProjectConfig(CONFIG_YAML, 'c.yaml');
    const prod = parseProjectConfig(CONFIG_YAML, 'c.yaml', 'prod');
    expect(dev).toMatchObject({
      environment: 'dev',
      functionName: 'collect-dev',
      timeoutSeconds: 240,
      memoryMb: 512,
      bucket: { name: 'acme-output-dev', create: true },
    });
    expect(prod).toMatchObject({
      environment: 'prod',
      functionName: 'collect-prod',
      memoryMb: 1024,
      queue: { retentionDays: 4, maxReceiveCount: 8 },
    });
    expect(prod.alarm.snsTopicArn).toBe('arn:aws:sns:eu-west-1:123456789012:alerts');
    expect(prod.state).toEqual({ bucket: 'acme-terraform-state', key: 'collect/prod/terraform.tfstate', region: 'eu-west-1' });
    // Every environment, resolved, whichever was chosen.
    expect(dev.environments).toEqual(prod.environments);
    const { environment: _name, environments: _all, ...prodSettings } = prod;
    expect(dev.environments.prod).toEqual(prodSettings);
  });

  it('merges env, runs, iam and ssm of an environment over the top level, key by key', () => {
    const config = parseProjectConfig(
      `${minimal}env: { API_URL: https://api.example, REGION_NAME: eu }
runs: { stalledAfterMinutes: 60 }
iam: { scope: collector }
ssm: { pathPrefix: /team/collect/, kmsKeyArns: ["arn:aws:kms:eu-west-1:123456789012:key/abc"] }
`.replace(
        'dev: {}',
        'dev: { env: { REGION_NAME: eu-west }, runs: { retentionDays: 7, pointInTimeRecovery: true }, iam: { scope: project }, ssm: { pathPrefix: /dev/ } }',
      ),
      'c.yaml',
    );
    expect(config.env).toEqual({ API_URL: 'https://api.example', REGION_NAME: 'eu-west' });
    expect(config.runs).toEqual({ stalledAfterMinutes: 60, retentionDays: 7, pointInTimeRecovery: true });
    expect(config.iam).toEqual({ scope: 'project' });
    expect(config.ssm).toEqual({ pathPrefix: '/dev/', kmsKeyArns: ['arn:aws:kms:eu-west-1:123456789012:key/abc'] });
  });

  it('refuses an SSM path prefix that does not start and end with "/", an unknown IAM scope and reserved env names', () => {
    expect(problems(`${minimal}ssm: { pathPrefix: collect }\niam: { scope: everything }\nenv: { AWS_REGION: x }\n`)).toEqual([
      'collect.config.yaml:7:20 error ssm.pathPrefix: must match pattern "^(/[A-Za-z0-9_.-]+)+/$"',
      'collect.config.yaml:9:8 error env.AWS_REGION: "AWS_REGION" is not a valid name (must match ^(?!AWS_|LAMBDA_|COLLECT_|POWERTOOLS_|_)[A-Za-z_][A-Za-z0-9_]{0,63}$)',
      'collect.config.yaml:8:15 error iam.scope: must be one of "project", "collector"',
    ]);
    expect(problems(`${minimal}ssm: { pathPrefix: / }\n`)).toHaveLength(1);
  });

  it('reads every environment without choosing one', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'collect-config-'));
    try {
      await writeFile(join(dir, 'collect.config.yaml'), minimal.replace('dev: {}', 'staging: {}\n  live: { timeoutSeconds: 60 }'));
      const environments = await loadProjectEnvironments(join(dir, 'collect.config.yaml'));
      expect(Object.keys(environments)).toEqual(['staging', 'live']);
      expect(environments.live!.timeoutSeconds).toBe(60);
      await expect(loadProjectConfig(join(dir, 'collect.config.yaml'))).rejects.toThrow(/no environment "dev"/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('reads the file and names it in errors', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'collect-config-'));
    try {
      await writeFile(join(dir, 'collect.config.yaml'), minimal.replace('region: eu-west-1', 'region: eu-west-1\nmemoryMb: 64'));
      await expect(loadProjectConfig(join(dir, 'collect.config.yaml'))).rejects.toThrow(
        /collect\.config\.yaml:3:11 error memoryMb: must be >= 128/,
      );
      await expect(loadProjectConfig(join(dir, 'missing.yaml'))).rejects.toThrow(/cannot read the project config: not found/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('reports schema mistakes with their line and column', () => {
    expect(problems(`region: eu-west-1\ntimeoutSeconds: 901\nfunctionNam: x\nenvironments:\n  dev:\n    runtime: nodejs18.x\n`)).toEqual([
      'collect.config.yaml:3:1 error functionNam: unknown option "functionNam"',
      'collect.config.yaml:2:17 error timeoutSeconds: must be <= 900',
      'collect.config.yaml:6:14 error environments.dev.runtime: must be one of "nodejs22.x", "nodejs24.x"',
    ]);
    expect(problems(`region: eu-west-1\nenvironments:\n  dev:\n    queue: { maxReceiveCount: 3 }\n`)).toEqual([
      'collect.config.yaml:4:31 error environments.dev.queue.maxReceiveCount: must be >= 5',
    ]);
  });

  it('requires a bucket and a state bucket for every environment, and distinct states', () => {
    expect(problems(`region: eu-west-1\nenvironments:\n  dev: {}\n`)).toEqual([
      'collect.config.yaml error environments.dev: environment "dev" has no bucket.name; set it at the top level or under environments.dev',
      'collect.config.yaml error environments.dev: environment "dev" has no state.bucket (the S3 bucket of the Terraform state); set it at the top level or under environments.dev',
    ]);
    expect(
      problems(`${minimal}  prod: {}\nstate: { bucket: tf-state, key: shared.tfstate }\n`.replace('state: { bucket: tf-state }\n', '')),
    ).toEqual([
      'collect.config.yaml error environments.prod.state.key: environments "dev" and "prod" share the Terraform state s3://tf-state/shared.tfstate; give each its own state.key',
    ]);
  });

  it('refuses an environment that is not defined', () => {
    expect(problems(minimal, 'staging')).toEqual([
      'collect.config.yaml error environments: no environment "staging"; the config defines "dev"',
    ]);
  });

  it('keeps the state in the top-level region when an environment moves to another region', () => {
    const config = parseProjectConfig(minimal.replace('dev: {}', 'dev: { region: us-east-1 }'), 'c.yaml');
    expect(config.region).toBe('us-east-1');
    expect(config.state.region).toBe('eu-west-1');
  });

  it('uses the only environment when there is no dev', () => {
    expect(parseProjectConfig(minimal.replace('dev: {}', 'live: {}'), 'c.yaml').environment).toBe('live');
  });

  it('accepts the committed collect.config.yaml', async () => {
    const config = await loadProjectConfig(join(repoRoot, 'collect.config.yaml'), 'prod');
    expect(Object.keys(config.environments)).toEqual(['dev', 'prod']);
  });
});

describe('schemas/project.schema.json', () => {
  it('describes every option with a description and examples', () => {
    const schema = JSON.parse(readFileSync(join(repoRoot, 'schemas/project.schema.json'), 'utf8')) as Record<string, unknown>;
    const missing: string[] = [];
    const visit = (node: unknown, path: string): void => {
      if (node === null || typeof node !== 'object') return;
      const n = node as Record<string, unknown>;
      for (const [key, child] of Object.entries((n.properties as Record<string, unknown>) ?? {})) {
        const c = child as Record<string, unknown>;
        const target = typeof c.$ref === 'string' ? resolve(schema, c.$ref) : c;
        if (typeof target.description !== 'string' || !Array.isArray(target.examples)) missing.push(`${path}.${key}`);
        visit(target, `${path}.${key}`);
      }
    };
    visit(schema, '');
    for (const [name, def] of Object.entries(schema.$defs as Record<string, unknown>)) visit(def, `$defs.${name}`);
    expect(missing).toEqual([]);
  });
});

function resolve(schema: Record<string, unknown>, ref: string): Record<string, unknown> {
  return ref
    .slice(2)
    .split('/')
    .reduce<Record<string, unknown>>((node, key) => node[key] as Record<string, unknown>, schema);
}
