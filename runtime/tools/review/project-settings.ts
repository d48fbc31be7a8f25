// The function settings `explain` and `cost` need, from collect.config.yaml
// when there is one; otherwise the deployment's defaults, said so in the output.
import { access } from 'node:fs/promises';
import { resolve } from 'node:path';
import { DEFAULT_CONFIG_FILE, loadProjectConfig } from '../../../deploy/config/project-config.ts';
import { DEPLOYMENT_DEFAULTS } from '../../language/deployment-defaults.ts';

export interface FunctionSettings {
  /** The project's name prefix: its function, queues, table and alarm are named after it. */
  functionName: string;
  /** Told which collector's run failed or stalled, and why. */
  snsTopicArn?: string;
  stalledAfterMinutes: number;
  memoryMb: number;
  timeoutSeconds: number;
  architecture: 'arm64' | 'x86_64';
  /** Receives of a task before it goes to the dead-letter queue. */
  maxReceiveCount: number;
  region?: string;
  /** Project bucket: on AWS every collector writes there. */
  bucket?: string;
  /** Where the settings came from. */
  source: string;
}

const { memoryMb, timeoutSeconds, architecture } = DEPLOYMENT_DEFAULTS;
const FUNCTION_DEFAULTS = {
  functionName: DEPLOYMENT_DEFAULTS.functionName,
  stalledAfterMinutes: DEPLOYMENT_DEFAULTS.runs.stalledAfterMinutes,
  memoryMb,
  timeoutSeconds,
  architecture,
  maxReceiveCount: DEPLOYMENT_DEFAULTS.queue.maxReceiveCount,
} as const;

export async function functionSettings(cwd: string, configFile?: string, environment?: string): Promise<FunctionSettings> {
  const file = resolve(cwd, configFile ?? DEFAULT_CONFIG_FILE);
  try {
    await access(file);
  } catch {
    if (configFile) throw new Error(`project config ${configFile} not found`);
    return { ...FUNCTION_DEFAULTS, source: `defaults (no ${DEFAULT_CONFIG_FILE})` };
  }
  const config = await loadProjectConfig(file, environment);
  return {
    functionName: config.functionName,
    ...(config.alarm.snsTopicArn ? { snsTopicArn: config.alarm.snsTopicArn } : {}),
    stalledAfterMinutes: config.runs.stalledAfterMinutes,
    memoryMb: config.memoryMb,
    timeoutSeconds: config.timeoutSeconds,
    architecture: config.architecture,
    maxReceiveCount: config.queue.maxReceiveCount,
    region: config.region,
    bucket: config.bucket.name,
    source: `${configFile ?? DEFAULT_CONFIG_FILE} (environment ${config.environment})`,
  };
}
