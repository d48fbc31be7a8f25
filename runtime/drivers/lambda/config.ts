// The function's settings from its environment, as the generated Terraform sets
// them: COLLECT_QUEUES (collector name -> task queue URL), COLLECT_BUCKET (where
// records go on AWS) and COLLECT_MAX_RECEIVE_COUNT (the queues' redrive setting).
import { DEPLOYMENT_DEFAULTS } from '../../language/deployment-defaults.ts';

export interface LambdaConfig {
  queues: Record<string, string>;
  bucket?: string;
  maxReceiveCount: number;
}

export class LambdaConfigError extends Error {
  override readonly name = 'LambdaConfigError';
}

export function readLambdaConfig(env: Readonly<Record<string, string | undefined>>): LambdaConfig {
  const queues = parseQueues(env.COLLECT_QUEUES);
  const bucket = env.COLLECT_BUCKET?.trim() || undefined;
  const count = env.COLLECT_MAX_RECEIVE_COUNT ? Number(env.COLLECT_MAX_RECEIVE_COUNT) : DEPLOYMENT_DEFAULTS.queue.maxReceiveCount;
  if (!Number.isInteger(count) || count < 1)
    throw new LambdaConfigError(`COLLECT_MAX_RECEIVE_COUNT must be a whole number of at least 1, not "${env.COLLECT_MAX_RECEIVE_COUNT}"`);
  return { queues, ...(bucket ? { bucket } : {}), maxReceiveCount: count };
}

function parseQueues(text: string | undefined): Record<string, string> {
  if (!text) return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new LambdaConfigError('COLLECT_QUEUES is not JSON (expected {"collector": "queue URL", ...})');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new LambdaConfigError('COLLECT_QUEUES must be a JSON object of collector name to queue URL');
  const out: Record<string, string> = {};
  for (const [name, url] of Object.entries(value)) {
    if (typeof url !== 'string' || !/^https?:\/\//.test(url)) throw new LambdaConfigError(`COLLECT_QUEUES.${name} is not a queue URL`);
    out[name] = url;
  }
  return out;
}
