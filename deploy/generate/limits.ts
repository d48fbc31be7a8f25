// AWS limits that the generated Terraform could break only at apply time, checked
// at generate time instead: queue name length, the 4 KB of Lambda environment
// variables (COLLECT_QUEUES grows with every collector) and the 10,240 characters
// of inline policy a role may carry.
import type { ProjectConfig, ProjectSettings } from '../config/project-config.ts';
import type { CollectorPlan } from './collector-plan.ts';
import { GenerateError } from './errors.ts';
import { QUEUE_ACTIONS } from './module-files.ts';
import { MAX_QUEUE_NAME, awsNames } from './names.ts';

const MAX_ENVIRONMENT_BYTES = 4096;
const MAX_INLINE_POLICY_CHARS = 10_240;
/** The function policy of the root module (logs, start failures, KMS), with room to spare. */
const ROOT_POLICY_ALLOWANCE = 1_200;
const ACCOUNT = '123456789012';

export function checkLimits(plans: CollectorPlan[], config: ProjectConfig): void {
  for (const [environment, settings] of Object.entries(config.environments)) {
    for (const plan of plans) {
      for (const queue of [awsNames.tasksQueue(plan.name), awsNames.deadLetterQueue(plan.name)]) {
        const full = `${settings.functionName}-${queue}`;
        if (full.length > MAX_QUEUE_NAME) {
          throw new GenerateError(
            `queue name "${full}" (environment "${environment}") is longer than ${MAX_QUEUE_NAME} characters; shorten the collector name or functionName`,
            plan.name,
          );
        }
      }
    }
    const envBytes = environmentBytes(plans, settings);
    if (envBytes > MAX_ENVIRONMENT_BYTES) {
      throw new GenerateError(
        `the function environment of "${environment}" would need about ${envBytes} bytes, more than Lambda's ${MAX_ENVIRONMENT_BYTES}; ` +
          'shorten the collector names or functionName, or split the collectors into two projects',
      );
    }
    const policyChars = collectorsPolicyChars(plans, settings) + ROOT_POLICY_ALLOWANCE;
    if (policyChars > MAX_INLINE_POLICY_CHARS) {
      throw new GenerateError(
        `the function role of "${environment}" would need about ${policyChars} characters of policy, more than IAM's ${MAX_INLINE_POLICY_CHARS}; split the collectors into two projects`,
      );
    }
  }
}

/** Keys and values of the function environment, as Lambda counts them. */
function environmentBytes(plans: CollectorPlan[], s: ProjectSettings): number {
  const queues = Object.fromEntries(
    plans.map((p) => [p.name, `https://sqs.${s.region}.amazonaws.com/${ACCOUNT}/${s.functionName}-${awsNames.tasksQueue(p.name)}`]),
  );
  const variables: Record<string, string> = {
    COLLECT_BUCKET: s.bucket.name,
    COLLECT_QUEUES: JSON.stringify(queues),
    COLLECT_MAX_RECEIVE_COUNT: String(s.queue.maxReceiveCount),
    POWERTOOLS_SERVICE_NAME: s.functionName,
    POWERTOOLS_LOG_LEVEL: s.logLevel,
    POWERTOOLS_LOGGER_SAMPLE_RATE: String(s.logSampleRate),
    POWERTOOLS_METRICS_NAMESPACE: 'collect',
  };
  return Object.entries(variables).reduce((n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(v), 0);
}

/** The collectors policy as IAM stores it (minified JSON), with a made-up account id. */
function collectorsPolicyChars(plans: CollectorPlan[], s: ProjectSettings): number {
  if (plans.length === 0) return 0;
  const bucketArn = `arn:aws:s3:::${s.bucket.name}`;
  const statements: { Sid: string; Effect: string; Action: string[]; Resource: string[] }[] = [
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
    { Sid: 'ListOutputBucket', Effect: 'Allow', Action: ['s3:ListBucket'], Resource: [bucketArn] },
  ];
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
