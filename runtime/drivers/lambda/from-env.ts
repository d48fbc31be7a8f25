// The deployed handler's parts, from the function's environment. Endpoints
// follow the SDK's own variables (AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_S3, ...),
// so the same bundle runs against moto; path-style S3 addressing is used
// whenever a custom S3 endpoint is set.
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { PowertoolsSsmResolver } from '../../adapters/aws/ssm-resolver.ts';
import type { EmbeddedCollector } from './collectors.ts';
import { readLambdaConfig } from './config.ts';
import { createHandler, type CollectHandler } from './handler.ts';

export function createHandlerFromEnv(
  collectors: readonly EmbeddedCollector[],
  env: Readonly<Record<string, string | undefined>> = process.env,
): CollectHandler {
  const config = readLambdaConfig(env);
  const customS3 = Boolean(env.AWS_ENDPOINT_URL_S3 || env.AWS_ENDPOINT_URL);
  return createHandler({
    collectors,
    s3: new S3Client(customS3 ? { forcePathStyle: true } : {}),
    sqs: new SQSClient({}),
    ssm: new PowertoolsSsmResolver(),
    queues: config.queues,
    ...(config.bucket ? { bucket: config.bucket } : {}),
    maxReceiveCount: config.maxReceiveCount,
    env,
  });
}
