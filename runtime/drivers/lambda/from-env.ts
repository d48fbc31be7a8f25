// The deployed handler's parts, from the function's environment. Endpoints
// follow the SDK's own variables (AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_S3, ...),
// so the same bundle runs against moto; path-style S3 addressing is used
// whenever a custom S3 endpoint is set.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoLedger } from '../../adapters/aws/dynamo-ledger.ts';
import { PowertoolsSsmResolver } from '../../adapters/aws/ssm-resolver.ts';
import type { CollectorSource, EmbeddedCollector } from './collectors.ts';
import { readLambdaConfig } from './config.ts';
import { createHandler, type CollectHandler } from './handler.ts';
import { SnsNotifier } from './notify.ts';

export function createHandlerFromEnv(
  collectors: CollectorSource | readonly EmbeddedCollector[],
  env: Readonly<Record<string, string | undefined>> = process.env,
): CollectHandler {
  const config = readLambdaConfig(env);
  const customS3 = Boolean(env.AWS_ENDPOINT_URL_S3 || env.AWS_ENDPOINT_URL);
  return createHandler({
    collectors,
    s3: new S3Client(customS3 ? { forcePathStyle: true } : {}),
    sqs: new SQSClient({}),
    ledger: new DynamoLedger(new DynamoDBClient({}), { table: config.ledgerTable, retentionDays: config.retentionDays }),
    queueUrlPrefix: config.queueUrlPrefix,
    ...(config.deadLetterQueueArn ? { deadLetterQueueArn: config.deadLetterQueueArn } : {}),
    ...(config.alarmTopicArn ? { notifier: new SnsNotifier(new SNSClient({}), config.alarmTopicArn) } : {}),
    ssm: new PowertoolsSsmResolver(),
    ...(config.bucket ? { bucket: config.bucket } : {}),
    maxReceiveCount: config.maxReceiveCount,
    stalledAfterMs: config.stalledAfterSeconds * 1000,
    minStartMs: config.minStartMs,
    reserveMs: config.reserveMs,
    env,
  });
}
