// The committed Terraform: the hand-written root module and the generated files
// as they are in the repository.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { iamProblems } from '../../deploy/check/iam.ts';
import { parseHcl, parseModuleDir, type HclFile } from '../../deploy/check/parse.ts';
import { checkProviderSchema } from '../../deploy/check/provider-schema.ts';
import { checkReferences } from '../../deploy/check/references.ts';
import { generateFromFiles } from '../../deploy/generate/from-files.ts';
import { compareGenerated } from '../../deploy/generate/sync.ts';
import { body, providerSchema, repoRoot, resourceNames } from './helpers.ts';
import { DEPLOYMENT_DEFAULTS } from '../../runtime/language/deployment-defaults.ts';

const terraformDir = join(repoRoot, 'deploy/terraform');
const schema = providerSchema();
let root: Map<string, HclFile>;
let generated: Map<string, HclFile>;

beforeAll(async () => {
  root = await parseModuleDir(terraformDir);
  generated = await parseModuleDir(join(terraformDir, 'generated'));
});

type Blocks = Record<string, Record<string, unknown>[]>;
const allOf = (files: Map<string, HclFile>, key: 'variable' | 'output'): [string, Record<string, unknown>][] =>
  [...files.values()].flatMap((f) =>
    Object.entries((f[key] as Blocks | undefined) ?? {}).map(([n, b]): [string, Record<string, unknown>] => [n, b[0]!]),
  );

describe('the committed Terraform', () => {
  it('parses, every file of both modules', () => {
    expect([...root.keys()]).toEqual([
      'bucket.tf',
      'function.tf',
      'main.tf',
      'outputs.tf',
      'providers.tf',
      'scheduler.tf',
      'variables.tf',
      'versions.tf',
    ]);
    expect([...generated.keys()]).toContain('collectors.tf');
  });

  it('matches the AWS provider schema, resource by resource', () => {
    for (const files of [root, generated]) {
      for (const [name, parsed] of files) expect(checkProviderSchema(name, parsed, schema), name).toEqual([]);
    }
  });

  it('refers only to what exists, and the root module calls the generated module correctly', () => {
    expect(checkReferences({ files: root, children: new Map([['./generated', generated]]) }, schema)).toEqual([]);
    expect(checkReferences({ files: generated }, schema, { unusedVariables: false })).toEqual([]);
  });

  it('holds no wildcard permission and no policy outside a policy document', () => {
    expect(iamProblems(root)).toEqual([]);
    expect(iamProblems(generated)).toEqual([]);
  });

  it('is up to date with collectors/ and collect.config.yaml (else run `npx collect generate`)', async () => {
    const { files } = await generateFromFiles({ cwd: repoRoot, config: 'collect.config.yaml', collectors: ['collectors'] });
    expect(await compareGenerated(terraformDir, files)).toEqual({ changed: [], missing: [], extra: [] });
  });

  it('gives every variable a type, a description and (unless free text) a validation, and every output a description', () => {
    const free = new Set(['create_bucket', 'tags', 'lambda_zip_path']);
    for (const [name, v] of allOf(root, 'variable')) {
      expect(v.type, name).toBeDefined();
      expect(v.description, name).toMatch(/\w+/);
      if (!free.has(name)) expect(v.validation, name).toBeDefined();
    }
    for (const [name, o] of [...allOf(root, 'output'), ...allOf(generated, 'output')]) expect(o.description, name).toMatch(/\w+/);
  });

  it('runs one function on arm64 or x86_64, Node 22 or 24, with JSON logs and the Powertools settings', () => {
    const fn = body(root, 'resource', 'aws_lambda_function', 'collect');
    expect(resourceNames(root, 'aws_lambda_function')).toEqual(['collect']);
    expect(fn).toMatchObject({
      handler: 'index.handler',
      runtime: '${var.runtime}',
      architectures: ['${var.architecture}'],
      memory_size: '${var.memory_mb}',
      timeout: '${var.timeout_seconds}',
      filename: '${var.lambda_zip_path}',
      source_code_hash: '${filebase64sha256(var.lambda_zip_path)}',
      logging_config: [
        { log_format: 'JSON', application_log_level: '${var.log_level}', log_group: '${aws_cloudwatch_log_group.function.name}' },
      ],
    });
    const variables = ((fn.environment as Record<string, unknown>[])[0]!.variables ?? {}) as Record<string, string>;
    expect(Object.keys(variables).sort()).toEqual([
      'COLLECT_BUCKET',
      'COLLECT_MAX_RECEIVE_COUNT',
      'COLLECT_QUEUES',
      'POWERTOOLS_LOGGER_SAMPLE_RATE',
      'POWERTOOLS_LOG_LEVEL',
      'POWERTOOLS_METRICS_NAMESPACE',
      'POWERTOOLS_SERVICE_NAME',
    ]);
    expect(variables.COLLECT_QUEUES).toBe('${jsonencode(module.collectors.queue_urls)}');
    expect(variables.POWERTOOLS_LOG_LEVEL).toBe('${var.log_level}');

    const runtime = allOf(root, 'variable').find(([n]) => n === 'runtime')![1];
    expect(runtime.default).toBe('nodejs22.x');
    expect(JSON.stringify(runtime.validation)).toContain('nodejs24.x');
    expect(allOf(root, 'variable').find(([n]) => n === 'architecture')![1].default).toBe('arm64');
    expect(allOf(root, 'variable').find(([n]) => n === 'lambda_zip_path')![1].default).toBe('../../dist/lambda.zip');
  });

  it('has the defaults of the project schema, the ones the Lambda, the generator, explain and cost use', () => {
    const defaults = Object.fromEntries(allOf(root, 'variable').map(([name, v]) => [name, v.default]));
    const d = DEPLOYMENT_DEFAULTS;
    expect({
      function_name: defaults.function_name,
      memory_mb: defaults.memory_mb,
      timeout_seconds: defaults.timeout_seconds,
      runtime: defaults.runtime,
      architecture: defaults.architecture,
      log_level: defaults.log_level,
      log_sample_rate: defaults.log_sample_rate,
      log_retention_days: defaults.log_retention_days,
      recursive_loop: defaults.recursive_loop,
      create_bucket: defaults.create_bucket,
      queue_retention_days: defaults.queue_retention_days,
      max_receive_count: defaults.max_receive_count,
    }).toEqual({
      function_name: d.functionName,
      memory_mb: d.memoryMb,
      timeout_seconds: d.timeoutSeconds,
      runtime: d.runtime,
      architecture: d.architecture,
      log_level: d.logLevel,
      log_sample_rate: d.logSampleRate,
      log_retention_days: d.logRetentionDays,
      recursive_loop: d.recursiveLoop,
      create_bucket: d.bucketCreate,
      queue_retention_days: d.queue.retentionDays,
      max_receive_count: d.queue.maxReceiveCount,
    });
  });

  it('keeps the function logs for a set time, and terminates recursive loops unless configured', () => {
    expect(body(root, 'resource', 'aws_cloudwatch_log_group', 'function')).toMatchObject({
      name: '/aws/lambda/${var.function_name}',
      retention_in_days: '${var.log_retention_days}',
    });
    expect(allOf(root, 'variable').find(([n]) => n === 'log_retention_days')![1].default).toBe(14);
    expect(body(root, 'resource', 'aws_lambda_function_recursion_config', 'collect')).toEqual({
      function_name: '${aws_lambda_function.collect.function_name}',
      recursive_loop: '${var.recursive_loop}',
    });
    expect(allOf(root, 'variable').find(([n]) => n === 'recursive_loop')![1].default).toBe('Terminate');
  });

  it('creates the output bucket encrypted and closed to the public, or uses an existing one by name', () => {
    expect(body(root, 'resource', 'aws_s3_bucket', 'output')).toMatchObject({
      count: '${var.create_bucket ? 1 : 0}',
      bucket: '${var.bucket_name}',
    });
    expect(body(root, 'data', 'aws_s3_bucket', 'output')).toMatchObject({
      count: '${var.create_bucket ? 0 : 1}',
      bucket: '${var.bucket_name}',
    });
    expect(body(root, 'resource', 'aws_s3_bucket_server_side_encryption_configuration', 'output')).toMatchObject({
      bucket: '${aws_s3_bucket.output[0].id}',
      rule: [{ apply_server_side_encryption_by_default: [{ sse_algorithm: 'AES256' }] }],
    });
    expect(body(root, 'resource', 'aws_s3_bucket_public_access_block', 'output')).toMatchObject({
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
  });

  it('lets only EventBridge Scheduler of this account assume the scheduler role, which may only invoke the function', () => {
    const trust = body(root, 'data', 'aws_iam_policy_document', 'scheduler_trust');
    expect(trust.statement).toEqual([
      expect.objectContaining({
        actions: ['sts:AssumeRole'],
        principals: [{ type: 'Service', identifiers: ['scheduler.amazonaws.com'] }],
        condition: [{ test: 'StringEquals', variable: 'aws:SourceAccount', values: ['${data.aws_caller_identity.current.account_id}'] }],
      }),
    ]);
    const policy = body(root, 'data', 'aws_iam_policy_document', 'scheduler').statement as Record<string, unknown>[];
    expect(policy.map((s) => [s.actions, s.resources])).toEqual([
      [['lambda:InvokeFunction'], ['${aws_lambda_function.collect.arn}']],
      [['sqs:SendMessage'], ['${aws_sqs_queue.start_failures.arn}']],
    ]);
    expect(body(root, 'resource', 'aws_iam_role', 'scheduler').assume_role_policy).toBe(
      '${data.aws_iam_policy_document.scheduler_trust.json}',
    );
  });

  it('keeps each environment in its own S3 state with a lock file, and sets every root variable there', async () => {
    const dir = join(terraformDir, 'environments');
    const names = (await readdir(dir)).sort();
    expect(names).toEqual(['dev.s3.tfbackend', 'dev.tfvars', 'prod.s3.tfbackend', 'prod.tfvars']);
    const versions = root.get('versions.tf')!.terraform![0]!;
    expect(versions.backend).toEqual({ s3: [{}] });
    expect(versions.required_version).toBe('>= 1.10');
    const backendSettings = new Set([
      'bucket',
      'key',
      'region',
      'encrypt',
      'use_lockfile',
      'profile',
      'role_arn',
      'kms_key_id',
      'workspace_key_prefix',
    ]);
    const keys = new Set<string>();
    const rootVariables = new Set(allOf(root, 'variable').map(([n]) => n));
    for (const env of ['dev', 'prod']) {
      const backend = await parseHcl(`${env}.s3.tfbackend`, await readFile(join(dir, `${env}.s3.tfbackend`), 'utf8'));
      for (const key of Object.keys(backend)) expect(backendSettings.has(key), key).toBe(true);
      expect(backend.use_lockfile).toBe(true);
      keys.add(`${String(backend.bucket)}/${String(backend.key)}`);
      const vars = await parseHcl(`${env}.tfvars`, await readFile(join(dir, `${env}.tfvars`), 'utf8'));
      for (const key of Object.keys(vars)) expect(rootVariables.has(key), key).toBe(true);
      expect(vars.environment).toBe(env);
    }
    expect(keys.size).toBe(2);
  });
});
