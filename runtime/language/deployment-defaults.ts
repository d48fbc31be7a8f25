// The function and queue settings a project gets when collect.config.yaml says
// nothing: the defaults of schemas/project.schema.json, read in this one place.
// The Lambda (its receive count), the Terraform generator, `explain` and `cost`
// use them; test/deploy/terraform-files.test.ts checks deploy/terraform/variables.tf
// against them.
import projectSchema from '../../schemas/project.schema.json' with { type: 'json' };

const defs = projectSchema.$defs;

export const DEPLOYMENT_DEFAULTS = {
  functionName: defs.functionName.default,
  memoryMb: defs.memoryMb.default,
  timeoutSeconds: defs.timeoutSeconds.default,
  runtime: defs.runtime.default as 'nodejs22.x' | 'nodejs24.x',
  architecture: defs.architecture.default as 'arm64' | 'x86_64',
  logLevel: defs.logLevel.default as 'TRACE' | 'DEBUG' | 'INFO' | 'WARN' | 'ERROR',
  logSampleRate: defs.logSampleRate.default,
  logRetentionDays: defs.logRetentionDays.default,
  recursiveLoop: defs.recursiveLoop.default as 'Terminate' | 'Allow',
  bucketCreate: defs.bucket.properties.create.default,
  queue: {
    retentionDays: defs.queue.properties.retentionDays.default,
    maxReceiveCount: defs.queue.properties.maxReceiveCount.default,
  },
  runs: {
    stalledAfterMinutes: defs.runs.properties.stalledAfterMinutes.default,
    retentionDays: defs.runs.properties.retentionDays.default,
    pointInTimeRecovery: defs.runs.properties.pointInTimeRecovery.default,
  },
  iamScope: defs.iam.properties.scope.default as 'project' | 'collector',
  ssmPathPrefix: defs.ssm.properties.pathPrefix.default,
} as const;

/** SQS asks for a visibility timeout of at least six times the function's timeout. */
export const VISIBILITY_TIMEOUT_FACTOR = 6;
