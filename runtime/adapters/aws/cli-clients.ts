// AWS clients for the CLI (`collect run --out s3://`, `collect status`), from
// the environment the SDK knows: AWS_PROFILE or keys, AWS_REGION, and
// AWS_ENDPOINT_URL(_S3) for moto or LocalStack (path-style addressing then).
import { S3Client } from '@aws-sdk/client-s3';
import { SSMClient } from '@aws-sdk/client-ssm';
import { PowertoolsSsmResolver } from './ssm-resolver.ts';

type Env = Readonly<Record<string, string | undefined>>;

/** Region, credentials and (for moto or LocalStack) the endpoint, from a command's environment. */
export function clientConfig(env: Env, endpoint?: string) {
  const url = endpoint ?? env.AWS_ENDPOINT_URL;
  return { ...common(env), ...(url ? { endpoint: url } : {}) };
}

function common(env: Env) {
  const credentials =
    env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY
      ? {
          credentials: {
            accessKeyId: env.AWS_ACCESS_KEY_ID,
            secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
            ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}),
          },
        }
      : {};
  return { region: env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1', ...credentials };
}

export function s3ClientFromEnv(env: Env, endpoint?: string): S3Client {
  const url = endpoint ?? env.AWS_ENDPOINT_URL_S3 ?? env.AWS_ENDPOINT_URL;
  return new S3Client({ ...common(env), ...(url ? { endpoint: url, forcePathStyle: true } : {}) });
}

/** `${ssm:/path}` on a laptop: the same Powertools provider as on Lambda, with the caller's credentials. */
export function ssmResolverFromEnv(env: Env): PowertoolsSsmResolver {
  const url = env.AWS_ENDPOINT_URL_SSM ?? env.AWS_ENDPOINT_URL;
  return new PowertoolsSsmResolver({ client: new SSMClient({ ...common(env), ...(url ? { endpoint: url } : {}) }) });
}
