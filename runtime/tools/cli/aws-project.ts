// What the AWS commands (`status`, `retry`) need to find a deployment: the
// ledger table and the task queue of a collector, named after the function of
// an environment of collect.config.yaml (or given on the command line), and
// clients for them. Endpoints follow the SDK's variables (AWS_ENDPOINT_URL for
// moto or LocalStack), or --endpoint.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoLedger } from '../../adapters/aws/dynamo-ledger.ts';
import { clientConfig, s3ClientFromEnv } from '../../adapters/aws/cli-clients.ts';
import { awsNames } from '../../language/deployment-names.ts';
import type { CliIO } from './command.ts';
import { UsageError } from './command.ts';
import { projectPath } from './project.ts';

export interface AwsProject {
  functionName: string;
  bucket: string | undefined;
  region: string | undefined;
}

/** The function name (the project's name prefix) of an environment, from the options or collect.config.yaml. */
export async function awsProject(io: CliIO, options: { config?: string; env?: string; function?: string }): Promise<AwsProject> {
  if (options.function) return { functionName: options.function, bucket: io.env.COLLECT_BUCKET, region: io.env.AWS_REGION };
  const { loadProjectConfig, DEFAULT_CONFIG_FILE } = await import('../../../deploy/config/project-config.ts');
  const file = options.config ?? projectPath(io.cwd, DEFAULT_CONFIG_FILE);
  try {
    const config = await loadProjectConfig(file, options.env);
    return { functionName: config.functionName, bucket: config.bucket.name, region: config.region };
  } catch (err) {
    throw new UsageError(
      `cannot tell which deployment to read: ${(err as Error).message.split('\n')[0]}; give --function NAME (the project's functionName) or a collect.config.yaml`,
    );
  }
}

export function awsClients(io: CliIO, project: AwsProject, endpoint: string | undefined) {
  const env = { ...io.env, ...(project.region && !io.env.AWS_REGION ? { AWS_REGION: project.region } : {}) };
  const common = clientConfig(env, endpoint);
  const dynamodb = new DynamoDBClient(common);
  return {
    ledger: new DynamoLedger(dynamodb, { table: `${project.functionName}-${awsNames.ledgerTable}` }),
    sqs: new SQSClient(common),
    s3: s3ClientFromEnv(env, endpoint),
    destroy() {
      dynamodb.destroy();
    },
  };
}

/** What to tell the user when the deployment's resources are not where its name says: not deployed, or another account or region. */
export function missingDeployment(err: unknown, project: AwsProject): string | undefined {
  const name = (err as { name?: string })?.name;
  if (name !== 'ResourceNotFoundException' && name !== 'QueueDoesNotExist' && name !== 'AWS.SimpleQueueService.NonExistentQueue')
    return undefined;
  const where = project.region ? ` in ${project.region}` : '';
  return (
    `the deployment ${project.functionName}${where} was not found (${name}: ${(err as Error).message}): ` +
    'is it deployed (npx collect deploy), and are AWS_REGION and the credentials those of its account? Another environment: --env NAME'
  );
}
