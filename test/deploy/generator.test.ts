import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { iamProblems, policyStatements } from '../../deploy/check/iam.ts';
import { parseModuleDir } from '../../deploy/check/parse.ts';
import { checkProviderSchema } from '../../deploy/check/provider-schema.ts';
import { checkReferences } from '../../deploy/check/references.ts';
import { GenerateError } from '../../deploy/generate/errors.ts';
import { generateTerraform } from '../../deploy/generate/generate.ts';
import { namePrefixWarnings } from '../../deploy/generate/limits.ts';
import { QUEUE_ACTIONS } from '../../deploy/generate/collector-policy.ts';
import { CONFIG_YAML, body, collector, generatedModule, parseAll, projectConfig, providerSchema, resourceNames } from './helpers.ts';
import { resolveCollector } from '../../runtime/language/resolve.ts';

const scheduled = collector('books-toscrape', {
  output: 's3://example-bucket/raw/{{ name }}/v1',
  schedule: { expression: 'cron(0 6 * * ? *)', timezone: 'Europe/London', flexibleWindowMinutes: 15 },
  scaling: { batchSize: 3, batchingWindowSeconds: 10, maxConcurrency: 7 },
});
const withSecrets = collector('github-issues', {
  output: 's3://example-bucket/github/{{ date }}/issues',
  request: {
    headers: { Authorization: 'Bearer ${ssm:/github/token}', 'X-Env': '${env:HOME}' },
    query: { key: '${ssm:api-key}' },
    body: { json: { nested: ['${ssm:/github/{{ name }}/extra}'] } },
  },
  records: { incremental: { cursorField: 'id' } },
  schedule: { expression: 'rate(1 day)', enabled: false },
});
const onDemand = collector('on-demand');
const collectorScope = projectConfig(`${CONFIG_YAML}iam: { scope: collector }\n`);
const rootDir = fileURLToPath(new URL('../../deploy/terraform', import.meta.url));

describe('generateTerraform', () => {
  const config = projectConfig();
  const files = generateTerraform([scheduled, withSecrets, onDemand].map(resolveCollector), config);

  it('writes one file per collector, the shared module files and two files per environment', () => {
    expect([...files.keys()]).toEqual([
      'environments/dev.s3.tfbackend',
      'environments/dev.tfvars',
      'environments/prod.s3.tfbackend',
      'environments/prod.tfvars',
      'generated/collector_books-toscrape.tf',
      'generated/collector_github-issues.tf',
      'generated/collector_on-demand.tf',
      'generated/collectors.tf',
      'generated/variables.tf',
    ]);
  });

  it('is pure: the same input gives the same files, and the input is not changed', () => {
    const before = JSON.stringify([scheduled, withSecrets, onDemand, config]);
    const again = generateTerraform([onDemand, withSecrets, scheduled].map(resolveCollector), projectConfig());
    expect(again).toEqual(files);
    expect(JSON.stringify([scheduled, withSecrets, onDemand, config])).toBe(before);
  });

  it('gives every task queue a visibility timeout of six times the function timeout', async () => {
    const module = await generatedModule(files);
    const queues = resourceNames(module, 'aws_sqs_queue').filter((n) => n.endsWith('_tasks'));
    expect(queues).toEqual(['books_toscrape_tasks', 'github_issues_tasks', 'on_demand_tasks']);
    for (const q of queues)
      expect(body(module, 'resource', 'aws_sqs_queue', q).visibility_timeout_seconds).toBe('${var.function_timeout_seconds * 6}');
    // The root module passes the function's own timeout to the generated module.
    const root = await parseModuleDir(rootDir);
    const call = [...root.values()].find((f) => f.module?.collectors)?.module?.collectors?.[0];
    expect(call?.function_timeout_seconds).toBe('${var.timeout_seconds}');
    expect(body(root, 'resource', 'aws_lambda_function', 'collect').timeout).toBe('${var.timeout_seconds}');
  });

  it('sends a task to the shared dead-letter queue after at least 5 deliveries, and gives a collector nothing else of its own', async () => {
    const module = await generatedModule(files);
    for (const name of ['books_toscrape', 'github_issues', 'on_demand']) {
      const queue = body(module, 'resource', 'aws_sqs_queue', `${name}_tasks`);
      expect(queue.redrive_policy).toContain('deadLetterTargetArn = var.dead_letter_queue_arn');
      expect(queue.redrive_policy).toContain('maxReceiveCount     = var.max_receive_count');
      expect(queue.sqs_managed_sse_enabled).toBe(true);
    }
    // One queue, one mapping and at most one schedule per collector: the dead letters, the alarm and the ledger are the root module's.
    expect(resourceNames(module, 'aws_sqs_queue')).toEqual(['books_toscrape_tasks', 'github_issues_tasks', 'on_demand_tasks']);
    for (const type of [
      'aws_sqs_queue_redrive_allow_policy',
      'aws_cloudwatch_metric_alarm',
      'aws_dynamodb_table',
      'aws_glue_catalog_database',
    ])
      expect(resourceNames(module, type), type).toEqual([]);
    // The root module passes its one dead-letter queue.
    const root = await parseModuleDir(rootDir);
    const call = [...root.values()].find((f) => f.module?.collectors)?.module?.collectors?.[0];
    expect(call?.dead_letter_queue_arn).toBe('${aws_sqs_queue.dead_letters.arn}');
    // The count itself: a module variable that refuses less than 5, set from each environment.
    const validation = [...module.values()].find((f) => f.variable?.max_receive_count)?.variable?.max_receive_count?.[0]?.validation;
    expect(validation).toEqual([{ condition: '${var.max_receive_count >= 5}', error_message: expect.any(String) }]);
    expect(files.get('environments/dev.tfvars')).toMatch(/^max_receive_count += {1,2}5$/m);
    expect(files.get('environments/prod.tfvars')).toMatch(/^max_receive_count += {1,2}8$/m);
  });

  it('maps every collector queue with its scaling settings and partial batch failures', async () => {
    const module = await generatedModule(files);
    const mapping = body(module, 'resource', 'aws_lambda_event_source_mapping', 'books_toscrape');
    expect(mapping).toMatchObject({
      event_source_arn: '${aws_sqs_queue.books_toscrape_tasks.arn}',
      function_name: '${var.function_arn}',
      batch_size: 3,
      maximum_batching_window_in_seconds: 10,
      function_response_types: ['ReportBatchItemFailures'],
      scaling_config: [{ maximum_concurrency: 7 }],
      // The collectors policy (iam_scope "collector"), which must be in place before the mapping reads the queue.
      depends_on: ['${aws_iam_role_policy.collectors}'],
    });
    const defaults = body(module, 'resource', 'aws_lambda_event_source_mapping', 'on_demand');
    expect(defaults).toMatchObject({ batch_size: 5, maximum_batching_window_in_seconds: 0, scaling_config: [{ maximum_concurrency: 2 }] });
  });

  it('schedules each scheduled collector once, and nothing for a collector without a schedule', async () => {
    const module = await generatedModule(files);
    expect(resourceNames(module, 'aws_scheduler_schedule')).toEqual(['books_toscrape', 'github_issues']);
    expect(files.get('generated/collector_on-demand.tf')).not.toMatch(/schedule/i);

    const books = body(module, 'resource', 'aws_scheduler_schedule', 'books_toscrape');
    expect(books).toMatchObject({
      name: 'books-toscrape',
      group_name: '${var.schedule_group_name}',
      schedule_expression: 'cron(0 6 * * ? *)',
      schedule_expression_timezone: 'Europe/London',
      state: 'ENABLED',
      flexible_time_window: [{ mode: 'FLEXIBLE', maximum_window_in_minutes: 15 }],
    });
    const target = (books.target as Record<string, unknown>[])[0]!;
    expect(target).toMatchObject({
      arn: '${var.function_arn}',
      role_arn: '${var.scheduler_role_arn}',
      retry_policy: [{ maximum_event_age_in_seconds: 3600, maximum_retry_attempts: 3 }],
      dead_letter_config: [{ arn: '${var.scheduler_dead_letter_queue_arn}' }],
    });
    expect(JSON.parse(target.input as string)).toEqual({ collector: 'books-toscrape', scheduledTime: '<aws.scheduler.scheduled-time>' });

    const github = body(module, 'resource', 'aws_scheduler_schedule', 'github_issues');
    expect(github).toMatchObject({
      schedule_expression: 'rate(1 day)',
      schedule_expression_timezone: 'UTC',
      state: 'DISABLED',
      flexible_time_window: [{ mode: 'OFF' }],
    });
  });

  it('attaches the per-collector policy only with iam_scope "collector", and names no collector in it unless an environment uses that scope', async () => {
    const module = await generatedModule(files);
    expect(resourceNames(module, 'aws_iam_role_policy')).toEqual(['collectors']);
    expect(body(module, 'resource', 'aws_iam_role_policy', 'collectors')).toMatchObject({
      count: '${var.iam_scope == "collector" ? 1 : 0}',
      role: '${var.function_role_name}',
      policy: '${data.aws_iam_policy_document.collectors.json}',
    });
    // Both environments grant by name prefix: the document lists no collector and is never attached.
    expect(policyStatements(module).map((s) => [s.sid, s.resources])).toEqual([['ListOutputBucket', ['${var.bucket_arn}']]]);
    expect(files.get('generated/collectors.tf')).not.toMatch(/books|github|on.demand/);
    const scope = [...module.values()].find((f) => f.variable?.iam_scope)?.variable?.iam_scope?.[0];
    expect(scope).toMatchObject({ default: 'project' });
    expect(JSON.stringify(scope?.validation)).toContain('collector');
  });

  it('with iam_scope "collector", lets the function write only the declared output prefixes, read only the referenced parameters and use only its queues', async () => {
    const strict = generateTerraform([scheduled, withSecrets, onDemand].map(resolveCollector), collectorScope);
    const statements = policyStatements(await generatedModule(strict));
    const bySid = Object.fromEntries(statements.map((s) => [s.sid, s]));
    expect(Object.keys(bySid)).toEqual([
      'UseOwnQueues',
      'ReadWriteOutputPrefixes',
      'WriteRunRows',
      'ListOutputBucket',
      'ReadCollectorParameters',
    ]);
    // A finished run's row of the collect_runs table, and nothing else outside the collectors' prefixes.
    expect(bySid.WriteRunRows!.actions).toEqual(['s3:PutObject']);
    expect(bySid.WriteRunRows!.resources).toEqual(['${var.bucket_arn}/collect-runs/*']);
    expect(bySid.UseOwnQueues!.actions).toEqual(QUEUE_ACTIONS);
    expect(bySid.UseOwnQueues!.resources).toEqual([
      '${aws_sqs_queue.books_toscrape_tasks.arn}',
      '${aws_sqs_queue.github_issues_tasks.arn}',
      '${aws_sqs_queue.on_demand_tasks.arn}',
    ]);
    // Read back (a redelivered task's part, an incremental cursor) and written, below each collector's own prefix only.
    expect(bySid.ReadWriteOutputPrefixes!.actions).toEqual(['s3:GetObject', 's3:PutObject']);
    expect(bySid.ReadWriteOutputPrefixes!.resources).toEqual([
      '${var.bucket_arn}/raw/books-toscrape/v1/*',
      '${var.bucket_arn}/github/*',
      '${var.bucket_arn}/raw/on-demand/*',
    ]);
    expect(bySid.ListOutputBucket!.resources).toEqual(['${var.bucket_arn}']);
    const arn = (name: string): string =>
      `arn:\${data.aws_partition.current.partition}:ssm:\${data.aws_region.current.region}:\${data.aws_caller_identity.current.account_id}:parameter${name}`;
    expect(bySid.ReadCollectorParameters!.actions).toEqual(['ssm:GetParameter']);
    expect(bySid.ReadCollectorParameters!.resources).toEqual([arn('/api-key'), arn('/github/github-issues/extra'), arn('/github/token')]);
    expect(iamProblems(await generatedModule(strict))).toEqual([]);
    // The collector files are the same in either scope.
    for (const name of ['generated/collector_books-toscrape.tf', 'generated/collector_on-demand.tf'])
      expect(strict.get(name)).toBe(files.get(name));
  });

  it('puts no wildcard action or resource in any policy, generated or hand-written', async () => {
    expect(iamProblems(await generatedModule(files))).toEqual([]);
    const root = await parseModuleDir(rootDir);
    expect(iamProblems(root)).toEqual([]);
    const all = [...policyStatements(root), ...policyStatements(await generatedModule(files))];
    expect(all.length).toBeGreaterThan(8);
    for (const s of all) {
      for (const action of s.actions) expect(action).not.toContain('*');
      for (const resource of s.resources) expect(resource).not.toBe('*');
    }
  });

  it('passes the provider schema and reference checks', async () => {
    const schema = providerSchema();
    const module = await generatedModule(files);
    for (const [name, parsed] of module) expect(checkProviderSchema(name, parsed, schema)).toEqual([]);
    expect(checkReferences({ files: module }, schema)).toEqual([]);
  });

  it('writes each environment its variables and its own S3 state with a lock file', async () => {
    const parsed = await parseAll(files, (n) => n.startsWith('environments/'));
    expect(parsed.get('environments/dev.tfvars')).toMatchObject({
      environment: 'dev',
      function_name: 'collect-dev',
      timeout_seconds: 240,
      bucket_name: 'acme-output-dev',
      create_bucket: true,
      alarm_sns_topic_arn: null,
      log_level: 'INFO',
      runtime: 'nodejs22.x',
      architecture: 'arm64',
      log_retention_days: 14,
      recursive_loop: 'Terminate',
      stalled_after_seconds: 10800,
      ledger_retention_days: 90,
      ledger_point_in_time_recovery: false,
      iam_scope: 'project',
      ssm_path_prefix: '/collect/',
      function_environment: {},
    });
    expect(parsed.get('environments/prod.tfvars')).toMatchObject({
      function_name: 'collect-prod',
      memory_mb: 1024,
      alarm_sns_topic_arn: 'arn:aws:sns:eu-west-1:123456789012:alerts',
    });
    const custom = generateTerraform(
      [],
      projectConfig(
        `${CONFIG_YAML}env: { PARTNER_API_URL: "https://api.partner.example" }\nruns: { stalledAfterMinutes: 60, retentionDays: 30, pointInTimeRecovery: true }\niam: { scope: collector }\nssm: { pathPrefix: /team/collect/ }\n`,
      ),
    );
    expect((await parseAll(custom, (n) => n === 'environments/prod.tfvars')).get('environments/prod.tfvars')).toMatchObject({
      function_environment: { PARTNER_API_URL: 'https://api.partner.example' },
      stalled_after_seconds: 3600,
      ledger_retention_days: 30,
      ledger_point_in_time_recovery: true,
      iam_scope: 'collector',
      ssm_path_prefix: '/team/collect/',
    });
    expect(parsed.get('environments/dev.s3.tfbackend')).toEqual({
      bucket: 'acme-terraform-state',
      key: 'collect/dev/terraform.tfstate',
      region: 'eu-west-1',
      encrypt: true,
      use_lockfile: true,
    });
    expect(parsed.get('environments/prod.s3.tfbackend')).toMatchObject({ key: 'collect/prod/terraform.tfstate', use_lockfile: true });
  });

  it('adds one file and changes none when a collector is added, and deletes one when it is removed', () => {
    const before = generateTerraform([scheduled, onDemand].map(resolveCollector), config);
    const after = generateTerraform(
      [scheduled, onDemand, collector('new-source', { schedule: { expression: 'rate(6 hours)' } })].map(resolveCollector),
      config,
    );
    const changed = [...after.keys()].filter((k) => before.get(k) !== after.get(k));
    expect(changed).toEqual(['generated/collector_new-source.tf']);
    expect(before.has('generated/collector_new-source.tf')).toBe(false);
    for (const [k, text] of before) expect(after.get(k), k).toBe(text);
    // The new file is small and about the new collector only.
    const added = after.get('generated/collector_new-source.tf')!;
    expect(added.split('\n').length).toBeLessThan(120);
    expect(added).not.toMatch(/books|on-demand|on_demand/);
    // Nothing shared names a collector.
    for (const shared of ['generated/collectors.tf', 'generated/variables.tf'])
      expect(after.get(shared)).not.toMatch(/books|on.demand|new.source/);
    // Removing it again gives back exactly the files before.
    expect(generateTerraform([scheduled, onDemand].map(resolveCollector), config)).toEqual(before);
  });

  it('with iam.scope collector, also adds the new queue and output prefix to the collectors policy: two lines', () => {
    const before = generateTerraform([scheduled, onDemand].map(resolveCollector), collectorScope);
    const after = generateTerraform([scheduled, onDemand, collector('new-source')].map(resolveCollector), collectorScope);
    const changed = [...after.keys()].filter((k) => before.get(k) !== after.get(k));
    expect(changed).toEqual(['generated/collector_new-source.tf', 'generated/collectors.tf']);
    const added = diffLines(before.get('generated/collectors.tf')!, after.get('generated/collectors.tf')!);
    expect(added.removed).toEqual([]);
    expect(added.added.map((l) => l.trim())).toEqual(['aws_sqs_queue.new_source_tasks.arn,', '"${var.bucket_arn}/raw/new-source/*",']);
  });

  it('keeps labels and queue names apart for collectors whose names extend each other', async () => {
    const files = generateTerraform(
      [collector('a'), collector('a-tasks'), collector('dead-letters'), collector('9gag', { output: 's3://b/nine/' })].map(
        resolveCollector,
      ),
      config,
    );
    const module = await generatedModule(files);
    const queues = resourceNames(module, 'aws_sqs_queue');
    expect(new Set(queues).size).toBe(4);
    expect(queues).toContain('_9gag_tasks');
    const names = queues.map((q) => body(module, 'resource', 'aws_sqs_queue', q).name);
    expect(new Set(names).size).toBe(4);
    // A collector's queue always ends in -tasks, which the project's own queues never do.
    expect(names).toContain('${var.name_prefix}-dead-letters-tasks');
    expect(checkReferences({ files: module }, providerSchema(), { unusedVariables: false })).toEqual([]);
    const strict = await generatedModule(
      generateTerraform(
        [collector('a'), collector('a-tasks'), collector('9gag', { output: 's3://b/nine/' })].map(resolveCollector),
        collectorScope,
      ),
    );
    const writes = policyStatements(strict).find((s) => s.sid === 'ReadWriteOutputPrefixes')!;
    expect(writes.resources).toContain('${var.bucket_arn}/nine/*');
    // Tables too: one per collector, with Glue's names.
    expect(resourceNames(module, 'aws_glue_catalog_table')).toEqual(['_9gag', 'a', 'a_tasks', 'dead_letters']);
    expect(body(module, 'resource', 'aws_glue_catalog_table', '_9gag').name).toBe('9gag');
  });

  it('generates a valid module for no collectors at all', async () => {
    const files = generateTerraform([], config);
    const module = await generatedModule(files);
    expect(resourceNames(module, 'aws_sqs_queue')).toEqual([]);
    expect(resourceNames(module, 'aws_iam_role_policy')).toEqual(['collectors']);
    expect(checkReferences({ files: module }, providerSchema(), { unusedVariables: false })).toEqual([]);
    expect([...files.keys()].filter((k) => k.startsWith('generated/'))).toEqual(['generated/collectors.tf', 'generated/variables.tf']);
  });

  it('refuses what it cannot scope or AWS would refuse', () => {
    const refuse = (c: ReturnType<typeof collector>, message: RegExp): void => {
      expect(() => generateTerraform([c].map(resolveCollector), config)).toThrow(GenerateError);
      expect(() => generateTerraform([c].map(resolveCollector), config)).toThrow(message);
    };
    refuse(collector('whole-bucket', { output: 's3://example-bucket/{{ date }}/x' }), /must start with a fixed prefix/);
    refuse(collector('bucket-root', { output: 's3://example-bucket' }), /must start with a fixed prefix/);
    refuse(collector('templated-bucket', { output: 's3://{{ bucket }}/x' }), /bucket .* must be written out/);
    refuse(collector('star', { output: 's3://example-bucket/a*b' }), /wildcard/);
    refuse(collector('templated-secret', { request: { headers: { A: '${ssm:/x/{{ date }}}' } } }), /write the parameter name out/);
    refuse(
      collector('listed-secret', { variables: { team: { values: ['a', 'b'] } }, request: { headers: { A: '${ssm:/{{ team }}/token}' } } }),
      /takes several values/,
    );
    refuse(collector('x'.repeat(63)), /longer than 80 characters/);
    expect(() => generateTerraform([collector('twice'), collector('twice')].map(resolveCollector), config)).toThrow(/defined twice/);
    refuse(collector('collect-runs'), /would have the table collect_runs/);
  });

  it('keeps the function environment the same size however many collectors there are', () => {
    const many = Array.from({ length: 300 }, (_, i) => collector(`a-rather-long-collector-name-${String(i).padStart(3, '0')}`));
    const files = generateTerraform(many.map(resolveCollector), config);
    expect([...files.keys()].filter((k) => k.startsWith('environments/'))).toHaveLength(4);
    expect(files.get('environments/dev.tfvars')).toBe(generateTerraform([], config).get('environments/dev.tfvars'));
  });

  it('refuses a project env that would not fit in the function environment', () => {
    const big = Object.fromEntries(Array.from({ length: 3 }, (_, i) => [`PARTNER_${i}`, 'x'.repeat(1500)]));
    const text = `${CONFIG_YAML}env: ${JSON.stringify(big)}\n`;
    expect(() => generateTerraform([], projectConfig(text))).toThrow(
      /function environment of "dev" would need about \d+ bytes, more than Lambda's 4096/,
    );
    const fits = Object.fromEntries(Object.entries(big).slice(0, 2));
    expect(() => generateTerraform([], projectConfig(`${CONFIG_YAML}env: ${JSON.stringify(fits)}\n`))).not.toThrow();
  });

  it('checks the size of the per-collector policy only for environments with iam.scope collector', () => {
    const many = Array.from({ length: 120 }, (_, i) =>
      collector(`collector-${String(i).padStart(3, '0')}`, { output: `s3://example-bucket/raw/team-${i}/{{ name }}` }),
    ).map(resolveCollector);
    expect(() => generateTerraform(many, config)).not.toThrow();
    const strict = projectConfig(
      CONFIG_YAML.replace('    queue: { maxReceiveCount: 8 }', '    queue: { maxReceiveCount: 8 }\n    iam: { scope: collector }'),
    );
    expect(() => generateTerraform(many, strict)).toThrow(
      /function role of "prod" would need about \d+ characters of policy, more than IAM's 10240 \(iam.scope: collector lists each of the 120 collectors' queue, prefix and parameters\)/,
    );
    expect(() => generateTerraform(many.slice(0, 20), strict)).not.toThrow();
  });

  it("warns when one environment's function name starts another's in the same region", () => {
    expect(namePrefixWarnings(config)).toEqual([]);
    const overlapping = projectConfig(CONFIG_YAML.replace('functionName: collect-prod', 'functionName: collect'));
    expect(namePrefixWarnings(overlapping)).toEqual([
      expect.stringMatching(
        /^environment "prod" \(functionName "collect"\) may use every queue named collect-\*, which includes those of environment "dev" \(collect-dev-\*\)/,
      ),
    ]);
    const collectorScope = projectConfig(
      CONFIG_YAML.replace('functionName: collect-prod', 'functionName: collect\n    iam: { scope: collector }'),
    );
    expect(namePrefixWarnings(collectorScope)).toEqual([]);
  });
});

function diffLines(before: string, after: string): { added: string[]; removed: string[] } {
  const a = before.split('\n');
  const b = after.split('\n');
  const count = (lines: string[]): Map<string, number> => {
    const m = new Map<string, number>();
    for (const l of lines) m.set(l, (m.get(l) ?? 0) + 1);
    return m;
  };
  const ca = count(a);
  const cb = count(b);
  const added = b.filter((l) => {
    const n = ca.get(l) ?? 0;
    if (n > 0) {
      ca.set(l, n - 1);
      return false;
    }
    return true;
  });
  const removed = a.filter((l) => {
    const n = cb.get(l) ?? 0;
    if (n > 0) {
      cb.set(l, n - 1);
      return false;
    }
    return true;
  });
  return { added, removed };
}
