// The committed Terraform: the hand-written root module and the generated files
// as they are in the repository.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { iamProblems, policyStatements } from '../../deploy/check/iam.ts';
import { parseHcl, parseModuleDir, type HclFile } from '../../deploy/check/parse.ts';
import { checkProviderSchema } from '../../deploy/check/provider-schema.ts';
import { checkReferences } from '../../deploy/check/references.ts';
import { generateFromFiles } from '../../deploy/generate/from-files.ts';
import { compareGenerated } from '../../deploy/generate/sync.ts';
import { functionEnvironment } from '../../deploy/generate/limits.ts';
import { SCHEDULE_RETRY } from '../../deploy/generate/collector-file.ts';
import { QUEUE_ACTIONS } from '../../deploy/generate/collector-policy.ts';
import { body, projectConfig, providerSchema, repoRoot, resourceNames } from './helpers.ts';
import { LEDGER_TABLE } from '../../runtime/adapters/aws/dynamo-ledger.ts';
import { DEPLOYMENT_DEFAULTS } from '../../runtime/language/deployment-defaults.ts';
import { awsNames } from '../../runtime/language/deployment-names.ts';

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
      'alarms.tf',
      'bucket.tf',
      'catalog.tf',
      'dead-letters.tf',
      'function.tf',
      'ledger.tf',
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
    const free = new Set(['create_bucket', 'tags', 'lambda_zip_path', 'ledger_point_in_time_recovery']);
    for (const [name, v] of allOf(root, 'variable')) {
      expect(v.type, name).toBeDefined();
      expect(v.description, name).toMatch(/\w+/);
      if (!free.has(name)) expect(v.validation, name).toBeDefined();
    }
    for (const [name, o] of [...allOf(root, 'output'), ...allOf(generated, 'output')]) expect(o.description, name).toMatch(/\w+/);
  });

  it('runs one function on arm64 or x86_64, Node 22 or 24, with Text logs that leave the level to Powertools', () => {
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
      // No application_log_level: Lambda's own filter would override Powertools and drop its debug buffer.
      logging_config: [{ log_format: 'Text', log_group: '${aws_cloudwatch_log_group.function.name}' }],
    });
    expect(root.get('function.tf')?.resource?.aws_lambda_function?.collect?.[0]?.logging_config).toEqual([
      { log_format: 'Text', log_group: '${aws_cloudwatch_log_group.function.name}' },
    ]);

    const runtime = allOf(root, 'variable').find(([n]) => n === 'runtime')![1];
    expect(runtime.default).toBe('nodejs22.x');
    expect(JSON.stringify(runtime.validation)).toContain('nodejs24.x');
    expect(allOf(root, 'variable').find(([n]) => n === 'architecture')![1].default).toBe('arm64');
    expect(allOf(root, 'variable').find(([n]) => n === 'lambda_zip_path')![1].default).toBe('../../dist/lambda.zip');
  });

  it('sets exactly the environment runtime/drivers/lambda/config.ts and Powertools read, plus the project env', async () => {
    const fn = body(root, 'resource', 'aws_lambda_function', 'collect');
    const expression = String((fn.environment as Record<string, unknown>[])[0]!.variables);
    const set = new Map([...expression.matchAll(/^\s*([A-Z][A-Z0-9_]+)\s*=\s*(.+?)\s*$/gm)].map((m) => [m[1]!, m[2]!]));
    // The topic only when there is one; the project's env first, so it cannot override the function's own.
    expect(expression).toMatch(/^\$\{merge\(\s*var\.function_environment,/);
    expect(expression).toContain('var.alarm_sns_topic_arn == null ? {} : { COLLECT_ALARM_TOPIC_ARN = var.alarm_sns_topic_arn }');
    const topic = /\{ (COLLECT_ALARM_TOPIC_ARN) = var\.alarm_sns_topic_arn \}/.exec(expression)![1]!;
    const names = [...set.keys(), topic].sort();

    const driver = join(repoRoot, 'runtime/drivers/lambda');
    const config = await readFile(join(driver, 'config.ts'), 'utf8');
    const read = new Set([...config.matchAll(/\b(?:required|optional|whole)\(env, '([A-Z_]+)'/g)].map((m) => m[1]!));
    for (const file of (await readdir(driver)).filter((f) => f.endsWith('.ts')))
      for (const m of (await readFile(join(driver, file), 'utf8')).matchAll(/\benv\.(POWERTOOLS_[A-Z_]+)/g)) read.add(m[1]!);
    expect(names).toEqual([...read].sort());
    expect(names).not.toContain('COLLECT_QUEUES');
    // The generator's size check counts the same variables.
    const withTopic = projectConfig(undefined, 'prod');
    expect(Object.keys(functionEnvironment(withTopic)).sort()).toEqual(names);

    expect(Object.fromEntries(set)).toEqual({
      COLLECT_BUCKET: 'local.bucket_name',
      COLLECT_QUEUE_URL_PREFIX: 'local.queue_url_prefix',
      COLLECT_LEDGER_TABLE: 'aws_dynamodb_table.ledger.name',
      COLLECT_DEAD_LETTER_QUEUE_ARN: 'aws_sqs_queue.dead_letters.arn',
      COLLECT_MAX_RECEIVE_COUNT: 'tostring(var.max_receive_count)',
      COLLECT_STALLED_AFTER_SECONDS: 'tostring(var.stalled_after_seconds)',
      COLLECT_LEDGER_RETENTION_DAYS: 'tostring(var.ledger_retention_days)',
      COLLECT_FUNCTION_TIMEOUT_SECONDS: 'tostring(var.timeout_seconds)',
      POWERTOOLS_SERVICE_NAME: 'var.function_name',
      POWERTOOLS_LOG_LEVEL: 'var.log_level',
      POWERTOOLS_LOGGER_SAMPLE_RATE: 'tostring(var.log_sample_rate)',
      POWERTOOLS_METRICS_NAMESPACE: 'local.metrics_namespace',
    });
    // A collector's queue URL is this prefix + `<name>-tasks`, the name the generated module gives it.
    const locals = root.get('main.tf')!.locals![0]!;
    expect(locals.queue_url_prefix).toBe(
      'https://sqs.${data.aws_region.current.region}.${data.aws_partition.current.dns_suffix}/${data.aws_caller_identity.current.account_id}/${var.function_name}-',
    );
    expect(locals.metrics_namespace).toBe('collect');
    expect(awsNames.tasksQueue('x')).toBe('x-tasks');
  });

  it('creates the run ledger as LEDGER_TABLE of the DynamoDB adapter describes it', () => {
    const table = body(root, 'resource', 'aws_dynamodb_table', 'ledger');
    expect(resourceNames(root, 'aws_dynamodb_table')).toEqual(['ledger']);
    expect(table).toMatchObject({
      name: `\${var.function_name}-${awsNames.ledgerTable}`,
      billing_mode: 'PAY_PER_REQUEST',
      hash_key: LEDGER_TABLE.hashKey,
      range_key: LEDGER_TABLE.rangeKey,
      ttl: [{ attribute_name: LEDGER_TABLE.ttlAttribute, enabled: true }],
      server_side_encryption: [{ enabled: true }],
      point_in_time_recovery: [{ enabled: '${var.ledger_point_in_time_recovery}' }],
    });
    const indexes = (table.global_secondary_index as Record<string, unknown>[]).map((i) => ({
      name: i.name,
      hashKey: i.hash_key,
      rangeKey: i.range_key,
      projection: i.projection_type,
    }));
    expect(indexes).toEqual(LEDGER_TABLE.indexes.map((i) => ({ ...i, projection: 'ALL' })));
    // Every key attribute declared once, as a string; nothing else (DynamoDB refuses unused attributes).
    const keys = [LEDGER_TABLE.hashKey, LEDGER_TABLE.rangeKey, ...LEDGER_TABLE.indexes.flatMap((i) => [i.hashKey, i.rangeKey])];
    const attributes = table.attribute as { name: string; type: string }[];
    expect(attributes.map((a) => a.name).sort()).toEqual([...new Set(keys)].sort());
    expect(new Set(attributes.map((a) => a.type))).toEqual(new Set(['S']));
    expect(allOf(root, 'variable').find(([n]) => n === 'ledger_point_in_time_recovery')![1].default).toBe(false);
  });

  it('has one dead-letter queue, which every task queue redrives to and the function consumes', () => {
    expect(body(root, 'resource', 'aws_sqs_queue', 'dead_letters')).toMatchObject({
      name: `\${var.function_name}-${awsNames.deadLetterQueue}`,
      message_retention_seconds: 1209600,
      sqs_managed_sse_enabled: true,
      // An event source mapping needs a visibility timeout of at least the function's timeout.
      visibility_timeout_seconds: '${var.timeout_seconds * 6}',
    });
    expect(body(root, 'resource', 'aws_sqs_queue_redrive_allow_policy', 'dead_letters')).toMatchObject({
      queue_url: '${aws_sqs_queue.dead_letters.id}',
    });
    expect(body(root, 'resource', 'aws_lambda_event_source_mapping', 'dead_letters')).toMatchObject({
      event_source_arn: '${aws_sqs_queue.dead_letters.arn}',
      function_name: '${aws_lambda_function.collect.arn}',
      batch_size: 10,
      function_response_types: ['ReportBatchItemFailures'],
      scaling_config: [{ maximum_concurrency: 2 }],
    });
    expect(resourceNames(root, 'aws_sqs_queue')).toEqual(['dead_letters', 'start_failures']);
    for (const name of resourceNames(generated, 'aws_sqs_queue')) {
      expect(body(generated, 'resource', 'aws_sqs_queue', name).redrive_policy).toContain(
        'deadLetterTargetArn = var.dead_letter_queue_arn',
      );
    }
  });

  it("sweeps for stalled runs every 10 minutes, as the collectors' schedules are started", () => {
    const sweep = body(root, 'resource', 'aws_scheduler_schedule', 'stall_sweep');
    expect(sweep).toMatchObject({
      group_name: '${aws_scheduler_schedule_group.collectors.name}',
      schedule_expression: 'rate(10 minutes)',
      flexible_time_window: [{ mode: 'OFF' }],
    });
    // An underscore: no collector's schedule (named after the collector) can take the name.
    expect(sweep.name).toMatch(/_/);
    const target = (sweep.target as Record<string, unknown>[])[0]!;
    expect(target).toMatchObject({
      arn: '${aws_lambda_function.collect.arn}',
      role_arn: '${aws_iam_role.scheduler.arn}',
      input: '${jsonencode({ sweep = true })}',
      retry_policy: [
        {
          maximum_event_age_in_seconds: SCHEDULE_RETRY.maximumEventAgeInSeconds,
          maximum_retry_attempts: SCHEDULE_RETRY.maximumRetryAttempts,
        },
      ],
      dead_letter_config: [{ arn: '${aws_sqs_queue.start_failures.arn}' }],
    });
    for (const name of resourceNames(generated, 'aws_scheduler_schedule')) {
      const t = (body(generated, 'resource', 'aws_scheduler_schedule', name).target as Record<string, unknown>[])[0]!;
      expect(t.retry_policy).toEqual(target.retry_policy);
    }
  });

  it('has one alarm on failed and stalled runs for the whole project, besides the one on failed starts', () => {
    expect(resourceNames(root, 'aws_cloudwatch_metric_alarm')).toEqual(['runs', 'start_failures']);
    expect(resourceNames(generated, 'aws_cloudwatch_metric_alarm')).toEqual([]);
    const alarm = body(root, 'resource', 'aws_cloudwatch_metric_alarm', 'runs');
    expect(alarm).toMatchObject({
      alarm_name: `\${var.function_name}-${awsNames.runsAlarm}`,
      comparison_operator: 'GreaterThanThreshold',
      threshold: 0,
      evaluation_periods: 1,
      treat_missing_data: 'notBreaching',
      alarm_actions: '${local.alarm_actions}',
      ok_actions: '${local.alarm_actions}',
    });
    const queries = alarm.metric_query as Record<string, unknown>[];
    const metrics = queries.filter((q) => q.metric).map((q) => ({ id: q.id, ...(q.metric as Record<string, unknown>[])[0] }));
    expect(metrics).toEqual([
      {
        id: 'failed',
        namespace: '${local.metrics_namespace}',
        metric_name: 'RunsFailed',
        dimensions: { service: '${var.function_name}' },
        period: 300,
        stat: 'Sum',
      },
      {
        id: 'stalled',
        namespace: '${local.metrics_namespace}',
        metric_name: 'RunsStalled',
        dimensions: { service: '${var.function_name}' },
        period: 300,
        stat: 'Sum',
      },
    ]);
    const sum = queries.find((q) => q.return_data === true)!;
    expect(sum.expression).toBe('FILL(failed, 0) + FILL(stalled, 0)');
    expect(queries.filter((q) => q.return_data === true)).toHaveLength(1);
    // The function publishes them under this namespace, with the function name as its service.
    const environment = String(
      (body(root, 'resource', 'aws_lambda_function', 'collect').environment as Record<string, unknown>[])[0]!.variables,
    );
    expect(environment).toMatch(/POWERTOOLS_METRICS_NAMESPACE\s+= local\.metrics_namespace/);
    expect(environment).toMatch(/POWERTOOLS_SERVICE_NAME\s+= var\.function_name/);
  });

  it('grants the function only what is the project\'s own, by name prefix unless iam_scope is "collector"', async () => {
    const statements = policyStatements(new Map([['function.tf', root.get('function.tf')!]])).filter(
      (s) => s.document === 'data.aws_iam_policy_document.function',
    );
    const bySid = Object.fromEntries(statements.map((s) => [s.sid, s]));
    const accountRegion = (service: string): string =>
      `arn:\${data.aws_partition.current.partition}:${service}:\${data.aws_region.current.region}:\${data.aws_caller_identity.current.account_id}:`;
    expect(Object.fromEntries(statements.map((s) => [s.sid, [s.actions, s.resources]]))).toEqual({
      WriteOwnLogs: [['logs:CreateLogStream', 'logs:PutLogEvents'], ['${aws_cloudwatch_log_group.function.arn}:log-stream:*']],
      DeadLetterFailedStarts: [['sqs:SendMessage'], ['${aws_sqs_queue.start_failures.arn}']],
      ConsumeDeadLetters: [['sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:ReceiveMessage'], ['${aws_sqs_queue.dead_letters.arn}']],
      UseRunLedger: [
        ['dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:UpdateItem'],
        ['${aws_dynamodb_table.ledger.arn}', ...LEDGER_TABLE.indexes.map((i) => `\${aws_dynamodb_table.ledger.arn}/index/${i.name}`)],
      ],
      UseProjectQueues: [QUEUE_ACTIONS, [`${accountRegion('sqs')}\${var.function_name}-*`]],
      ReadWriteProjectBucket: [['s3:GetObject', 's3:PutObject'], ['${local.bucket_arn}/*']],
      ListProjectBucket: [['s3:ListBucket'], ['${local.bucket_arn}']],
      ReadProjectParameters: [['ssm:GetParameter'], [`${accountRegion('ssm')}parameter\${var.ssm_path_prefix}*`]],
      PublishRunAlarms: [['sns:Publish'], ['${statement.value}']],
      DecryptParametersThroughSsm: [['kms:Decrypt'], ['${statement.value}']],
    });
    for (const s of statements) for (const r of s.resources) expect(r, s.sid).not.toBe('*');

    // The broad statements only with iam_scope "project", the topic only when there is one.
    const dynamic = (
      root.get('function.tf')!.data!.aws_iam_policy_document!.function![0]!.dynamic as Record<string, Record<string, unknown>[]>
    ).statement!;
    const when = Object.fromEntries(dynamic.map((d) => [(d.content as Record<string, unknown>[])[0]!.sid, d.for_each]));
    for (const sid of ['UseProjectQueues', 'ReadWriteProjectBucket', 'ListProjectBucket', 'ReadProjectParameters'])
      expect(when[sid], sid).toBe('${var.iam_scope == "project" ? [1] : []}');
    expect(when.PublishRunAlarms).toBe('${var.alarm_sns_topic_arn == null ? [] : [var.alarm_sns_topic_arn]}');
    // ... and the per-collector policy of the generated module only with "collector".
    expect(body(generated, 'resource', 'aws_iam_role_policy', 'collectors').count).toBe('${var.iam_scope == "collector" ? 1 : 0}');
    const call = root.get('main.tf')!.module!.collectors![0]!;
    expect(call.iam_scope).toBe('${var.iam_scope}');
    expect(allOf(root, 'variable').find(([n]) => n === 'ssm_path_prefix')![1].validation).toBeDefined();

    // The ledger's actions are exactly what the adapter calls (a transaction is authorized as the items it writes).
    const adapter = await readFile(join(repoRoot, 'runtime/adapters/aws/dynamo-ledger.ts'), 'utf8');
    const calls = new Set<string>();
    const direct: Record<string, string> = {
      Get: 'GetItem',
      Put: 'PutItem',
      Update: 'UpdateItem',
      Delete: 'DeleteItem',
      Query: 'Query',
      Scan: 'Scan',
      BatchGet: 'BatchGetItem',
      BatchWrite: 'BatchWriteItem',
    };
    for (const [, command] of adapter.matchAll(/new (\w+)Command\(/g)) {
      if (command === 'TransactWrite') {
        for (const [, item] of adapter.matchAll(/^\s*(Put|Update|Delete|ConditionCheck): \{/gm))
          calls.add(item === 'ConditionCheck' ? 'ConditionCheckItem' : `${item}Item`);
      } else calls.add(direct[command!] ?? `unknown ${command}`);
    }
    expect(bySid.UseRunLedger!.actions).toEqual([...calls].map((a) => `dynamodb:${a}`).sort());
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
      stalled_after_seconds: defaults.stalled_after_seconds,
      ledger_retention_days: defaults.ledger_retention_days,
      ledger_point_in_time_recovery: defaults.ledger_point_in_time_recovery,
      iam_scope: defaults.iam_scope,
      ssm_path_prefix: defaults.ssm_path_prefix,
      function_environment: defaults.function_environment,
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
      stalled_after_seconds: d.runs.stalledAfterMinutes * 60,
      ledger_retention_days: d.runs.retentionDays,
      ledger_point_in_time_recovery: d.runs.pointInTimeRecovery,
      iam_scope: d.iamScope,
      ssm_path_prefix: d.ssmPathPrefix,
      function_environment: {},
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
