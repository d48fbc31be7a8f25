// AWS limits that the generated Terraform could break only at apply time, checked
// at generate time instead: queue name length, the 4 KB of Lambda environment
// variables (the fixed COLLECT_* and POWERTOOLS_* ones plus the project's `env`;
// nothing in it grows with the collectors) and, where an environment grants
// each collector's resources by name (`iam.scope: collector`), the 10,240
// characters of inline policy a role may carry.
import type { ProjectConfig, ProjectSettings } from '../config/project-config.ts';
import type { CollectorPlan } from './collector-plan.ts';
import { GenerateError } from './errors.ts';
import { QUEUE_ACTIONS } from './collector-policy.ts';
import { MAX_QUEUE_NAME, awsNames } from './names.ts';

const MAX_ENVIRONMENT_BYTES = 4096;
const MAX_INLINE_POLICY_CHARS = 10_240;
/** The function policy of the root module without its name-prefix statements (logs, start failures, dead letters, ledger, SNS, KMS), with room to spare. */
const ROOT_POLICY_ALLOWANCE = 2_000;
const ACCOUNT = '123456789012';
/** What Powertools Metrics publishes under (deploy/terraform/main.tf, local.metrics_namespace). */
const METRICS_NAMESPACE = 'collect';

export function checkLimits(plans: CollectorPlan[], config: ProjectConfig): void {
  for (const [environment, settings] of Object.entries(config.environments)) {
    for (const plan of plans) {
      const full = `${settings.functionName}-${awsNames.tasksQueue(plan.name)}`;
      if (full.length > MAX_QUEUE_NAME) {
        throw new GenerateError(
          `queue name "${full}" (environment "${environment}") is longer than ${MAX_QUEUE_NAME} characters; shorten the collector name or functionName`,
          plan.name,
        );
      }
    }
    const envBytes = environmentBytes(settings);
    if (envBytes > MAX_ENVIRONMENT_BYTES) {
      throw new GenerateError(
        `the function environment of "${environment}" would need about ${envBytes} bytes, more than Lambda's ${MAX_ENVIRONMENT_BYTES}; ` +
          'shorten or remove variables of env: in collect.config.yaml (a long value belongs in SSM Parameter Store, read as ${ssm:/path})',
      );
    }
    if (settings.iam.scope !== 'collector') continue;
    const policyChars = collectorsPolicyChars(plans, settings) + ROOT_POLICY_ALLOWANCE;
    if (policyChars > MAX_INLINE_POLICY_CHARS) {
      throw new GenerateError(
        `the function role of "${environment}" would need about ${policyChars} characters of policy, more than IAM's ${MAX_INLINE_POLICY_CHARS} ` +
          `(iam.scope: collector lists each of the ${plans.length} collectors' queue, prefix and parameters); use iam.scope: project, or split the collectors into projects`,
      );
    }
  }
}

/**
 * The function's environment as deploy/terraform/function.tf sets it, with
 * stand-in values of the right length where Terraform fills them in (account,
 * ARNs): what runtime/drivers/lambda/config.ts reads, the Powertools settings,
 * and the project's `env`.
 */
export function functionEnvironment(s: ProjectSettings): Record<string, string> {
  return {
    ...s.env,
    COLLECT_BUCKET: s.bucket.name,
    COLLECT_QUEUE_URL_PREFIX: `https://sqs.${s.region}.amazonaws.com/${ACCOUNT}/${s.functionName}-`,
    COLLECT_LEDGER_TABLE: `${s.functionName}-${awsNames.ledgerTable}`,
    COLLECT_DEAD_LETTER_QUEUE_ARN: `arn:aws:sqs:${s.region}:${ACCOUNT}:${s.functionName}-${awsNames.deadLetterQueue}`,
    COLLECT_MAX_RECEIVE_COUNT: String(s.queue.maxReceiveCount),
    COLLECT_STALLED_AFTER_SECONDS: String(s.runs.stalledAfterMinutes * 60),
    COLLECT_LEDGER_RETENTION_DAYS: String(s.runs.retentionDays),
    COLLECT_FUNCTION_TIMEOUT_SECONDS: String(s.timeoutSeconds),
    ...(s.alarm.snsTopicArn ? { COLLECT_ALARM_TOPIC_ARN: s.alarm.snsTopicArn } : {}),
    POWERTOOLS_SERVICE_NAME: s.functionName,
    POWERTOOLS_LOG_LEVEL: s.logLevel,
    POWERTOOLS_LOGGER_SAMPLE_RATE: String(s.logSampleRate),
    POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
  };
}

/** Keys and values of the function environment, as Lambda counts them. */
function environmentBytes(s: ProjectSettings): number {
  return Object.entries(functionEnvironment(s)).reduce((n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(v), 0);
}

/**
 * With `iam.scope: project` a function may use every queue named `<functionName>-*`
 * of its account and region: the queues of another environment whose function
 * name extends its own (`collect` and `collect-dev`) match too, if both are
 * deployed to one account. Said as a warning, since the accounts are not known here.
 */
export function namePrefixWarnings(config: Pick<ProjectConfig, 'environments'>): string[] {
  const warnings: string[] = [];
  const environments = Object.entries(config.environments);
  for (const [name, s] of environments) {
    if (s.iam.scope !== 'project') continue;
    for (const [other, o] of environments) {
      if (other === name || o.region !== s.region || !o.functionName.startsWith(`${s.functionName}-`)) continue;
      warnings.push(
        `environment "${name}" (functionName "${s.functionName}") may use every queue named ${s.functionName}-*, ` +
          `which includes those of environment "${other}" (${o.functionName}-*) if the two share an AWS account; ` +
          `give "${name}" a name that does not start another (e.g. ${s.functionName}-${name}), or deploy them to different accounts`,
      );
    }
  }
  return warnings;
}

/** The collectors policy as IAM stores it (minified JSON), with a made-up account id. */
function collectorsPolicyChars(plans: CollectorPlan[], s: ProjectSettings): number {
  const bucketArn = `arn:aws:s3:::${s.bucket.name}`;
  const statements: { Sid: string; Effect: string; Action: string[]; Resource: string[] }[] = [];
  if (plans.length > 0) {
    statements.push(
      {
        Sid: 'UseOwnQueues',
        Effect: 'Allow',
        Action: QUEUE_ACTIONS,
        Resource: plans.map((p) => `arn:aws:sqs:${s.region}:${ACCOUNT}:${s.functionName}-${awsNames.tasksQueue(p.name)}`),
      },
      {
        Sid: 'ReadWriteOutputPrefixes',
        Effect: 'Allow',
        Action: ['s3:GetObject', 's3:PutObject'],
        Resource: [...new Set(plans.map((p) => `${bucketArn}/${p.outputResource}`))],
      },
    );
  }
  statements.push({ Sid: 'ListOutputBucket', Effect: 'Allow', Action: ['s3:ListBucket'], Resource: [bucketArn] });
  const parameters = [...new Set(plans.flatMap((p) => p.ssmParameters))];
  if (parameters.length > 0) {
    statements.push({
      Sid: 'ReadCollectorParameters',
      Effect: 'Allow',
      Action: ['ssm:GetParameter'],
      Resource: parameters.map((n) => (n.startsWith('arn:') ? n : `arn:aws:ssm:${s.region}:${ACCOUNT}:parameter${n}`)),
    });
  }
  return JSON.stringify({ Version: '2012-10-17', Statement: statements }).length + 'collectors'.length;
}
