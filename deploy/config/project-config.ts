// The project config (collect.config.yaml): settings of the shared function and
// bucket, and one entry per environment. Loading merges an environment's
// overrides over the top-level settings and fills in every default, so the rest
// of the deploy code only ever sees complete settings.
import { readFile } from 'node:fs/promises';
import { relative } from 'node:path';
import { LineCounter, isMap, isScalar, parseDocument, type Document, type Node } from 'yaml';
import { validateProjectConfig } from './validate.ts';
import { ProjectConfigError, type ConfigProblem } from './errors.ts';
import { DEPLOYMENT_DEFAULTS } from '../../runtime/language/deployment-defaults.ts';
import projectSchema from '../../schemas/project.schema.json' with { type: 'json' };

type LogLevel = 'TRACE' | 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

/** Complete settings of one environment, defaults applied. */
export interface ProjectSettings {
  region: string;
  functionName: string;
  memoryMb: number;
  timeoutSeconds: number;
  runtime: 'nodejs22.x' | 'nodejs24.x';
  architecture: 'arm64' | 'x86_64';
  logLevel: LogLevel;
  logSampleRate: number;
  logRetentionDays: number;
  recursiveLoop: 'Terminate' | 'Allow';
  bucket: { name: string; create: boolean };
  queue: { retentionDays: number; maxReceiveCount: number };
  alarm: { snsTopicArn?: string };
  /** Terraform S3 backend of this environment. */
  state: { bucket: string; key: string; region: string };
  /** `pathPrefix`: the parameters the function may read with `iam.scope: project` (starts and ends with `/`). */
  ssm: { kmsKeyArns: string[]; pathPrefix: string };
  /** `project`: permissions by name prefix; `collector`: each collector's resources by name (generated/collectors.tf). */
  iam: { scope: 'project' | 'collector' };
  tags: Record<string, string>;
  /** The function's environment variables for the collectors' `${env:NAME}` (besides its own COLLECT_* and POWERTOOLS_*). */
  env: Record<string, string>;
  /** The run ledger: when a run counts as stalled, how long it is kept, and its backups. */
  runs: { stalledAfterMinutes: number; retentionDays: number; pointInTimeRecovery: boolean };
  /** The account's Lambda concurrency limit, and the function's reserved concurrency when it has one. */
  concurrency: { accountLimit: number; reserved?: number };
}

/**
 * The settings of one environment (`environment`), plus the complete settings of
 * every environment, which the generator needs to write one variables file each.
 */
export interface ProjectConfig extends ProjectSettings {
  environment: string;
  environments: Record<string, ProjectSettings>;
}

/** What a user may write, at the top level or in an environment. */
type SettingsInput = {
  [K in keyof ProjectSettings]?: ProjectSettings[K] extends Record<string, unknown> ? Partial<ProjectSettings[K]> : ProjectSettings[K];
};

interface ProjectConfigInput extends SettingsInput {
  environments: Record<string, SettingsInput>;
}

export const DEFAULT_CONFIG_FILE = 'collect.config.yaml';
export const DEFAULT_ENVIRONMENT = 'dev';
/** Not an environment name (they start with a letter): resolve every environment without asking for one. */
const ANY_ENVIRONMENT = '*';

const DEFAULTS = DEPLOYMENT_DEFAULTS;
const ACCOUNT_CONCURRENCY = projectSchema.$defs.concurrency.properties.accountLimit.default;

/** Reads, validates and resolves the config; `env` defaults to `dev` (or the only environment). */
export async function loadProjectConfig(file: string, env?: string): Promise<ProjectConfig> {
  return parseProjectConfig(await readConfig(file), displayName(file), env);
}

/** Every environment, resolved, without choosing one: what a collector must fit (`collect validate`). */
export async function loadProjectEnvironments(file: string): Promise<Record<string, ProjectSettings>> {
  return parseProjectConfig(await readConfig(file), displayName(file), ANY_ENVIRONMENT).environments;
}

async function readConfig(file: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'not found' : (err as Error).message;
    throw new ProjectConfigError(displayName(file), [{ line: 1, column: 1, path: '', message: `cannot read the project config: ${why}` }]);
  }
  return text;
}

/** The same as loadProjectConfig, from text (tests, and callers that already read the file). */
export function parseProjectConfig(text: string, file: string, env?: string): ProjectConfig {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number | undefined): { line: number; column: number } => {
    const pos = lineCounter.linePos(offset ?? 0);
    return { line: pos.line, column: pos.col };
  };
  if (doc.errors.length > 0) {
    throw new ProjectConfigError(
      file,
      doc.errors.map((e) => ({ ...at(e.pos[0]), path: '', message: e.message.split('\n')[0]! })),
    );
  }
  const value: unknown = doc.toJS();
  const schemaProblems = validateProjectConfig(value);
  if (schemaProblems.length > 0) {
    throw new ProjectConfigError(
      file,
      schemaProblems.map((p) => ({ ...at(offsetOf(doc, p.path, p.atKey)), path: p.path.join('.'), message: p.message })),
    );
  }
  return resolveProjectConfig(value as ProjectConfigInput, file, env);
}

/** Merges and checks an already schema-valid config. */
function resolveProjectConfig(input: ProjectConfigInput, file = DEFAULT_CONFIG_FILE, env?: string): ProjectConfig {
  const problems: ConfigProblem[] = [];
  const environments: Record<string, ProjectSettings> = {};
  for (const [name, overrides] of Object.entries(input.environments)) {
    const settings = resolveEnvironment(input, name, overrides, problems);
    if (settings) environments[name] = settings;
  }
  checkDistinctState(environments, problems);
  const names = Object.keys(input.environments);
  const chosen =
    env === ANY_ENVIRONMENT
      ? names.includes(DEFAULT_ENVIRONMENT)
        ? DEFAULT_ENVIRONMENT
        : names[0]!
      : (env ?? (names.includes(DEFAULT_ENVIRONMENT) || names.length !== 1 ? DEFAULT_ENVIRONMENT : names[0]!));
  if (!names.includes(chosen)) {
    problems.push({
      line: 0,
      column: 0,
      path: 'environments',
      message: `no environment "${chosen}"; the config defines ${names.map((n) => `"${n}"`).join(', ')}`,
    });
  }
  if (problems.length > 0) throw new ProjectConfigError(file, problems);
  return { ...environments[chosen]!, environment: chosen, environments };
}

function resolveEnvironment(
  input: ProjectConfigInput,
  name: string,
  overrides: SettingsInput,
  problems: ConfigProblem[],
): ProjectSettings | undefined {
  const pick = <K extends keyof SettingsInput>(key: K): SettingsInput[K] => overrides[key] ?? input[key];
  const merged = <K extends 'bucket' | 'queue' | 'alarm' | 'state' | 'ssm' | 'iam' | 'tags' | 'env' | 'runs' | 'concurrency'>(
    key: K,
  ): NonNullable<SettingsInput[K]> => ({ ...(input[key] ?? {}), ...(overrides[key] ?? {}) }) as NonNullable<SettingsInput[K]>;

  const region = pick('region');
  const bucket = merged('bucket');
  const state = merged('state');
  const where = `environments.${name}`;
  const missing = (option: string): void => {
    problems.push({
      line: 0,
      column: 0,
      path: where,
      message: `environment "${name}" has no ${option}; set it at the top level or under ${where}`,
    });
  };
  if (!region) missing('region');
  if (!bucket.name) missing('bucket.name');
  if (!state.bucket) missing('state.bucket (the S3 bucket of the Terraform state)');
  if (!region || !bucket.name || !state.bucket) return undefined;

  const queue = merged('queue');
  const alarm = merged('alarm');
  const ssm = merged('ssm');
  const runs = merged('runs');
  const concurrency = merged('concurrency');
  return {
    region,
    functionName: pick('functionName') ?? DEFAULTS.functionName,
    memoryMb: pick('memoryMb') ?? DEFAULTS.memoryMb,
    timeoutSeconds: pick('timeoutSeconds') ?? DEFAULTS.timeoutSeconds,
    runtime: pick('runtime') ?? DEFAULTS.runtime,
    architecture: pick('architecture') ?? DEFAULTS.architecture,
    logLevel: pick('logLevel') ?? DEFAULTS.logLevel,
    logSampleRate: pick('logSampleRate') ?? DEFAULTS.logSampleRate,
    logRetentionDays: pick('logRetentionDays') ?? DEFAULTS.logRetentionDays,
    recursiveLoop: pick('recursiveLoop') ?? DEFAULTS.recursiveLoop,
    bucket: { name: bucket.name, create: bucket.create ?? DEFAULTS.bucketCreate },
    queue: {
      retentionDays: queue.retentionDays ?? DEFAULTS.queue.retentionDays,
      maxReceiveCount: queue.maxReceiveCount ?? DEFAULTS.queue.maxReceiveCount,
    },
    alarm: alarm.snsTopicArn ? { snsTopicArn: alarm.snsTopicArn } : {},
    state: {
      bucket: state.bucket,
      key: state.key ?? `collect/${name}/terraform.tfstate`,
      // One state bucket usually serves every environment, so it follows the top-level region.
      region: state.region ?? input.region ?? region,
    },
    ssm: { kmsKeyArns: [...(ssm.kmsKeyArns ?? [])], pathPrefix: ssm.pathPrefix ?? DEFAULTS.ssmPathPrefix },
    iam: { scope: merged('iam').scope ?? DEFAULTS.iamScope },
    tags: { ...merged('tags') } as Record<string, string>,
    env: { ...merged('env') } as Record<string, string>,
    runs: {
      stalledAfterMinutes: runs.stalledAfterMinutes ?? DEFAULTS.runs.stalledAfterMinutes,
      retentionDays: runs.retentionDays ?? DEFAULTS.runs.retentionDays,
      pointInTimeRecovery: runs.pointInTimeRecovery ?? DEFAULTS.runs.pointInTimeRecovery,
    },
    concurrency: {
      accountLimit: concurrency.accountLimit ?? ACCOUNT_CONCURRENCY,
      ...(concurrency.reserved !== undefined ? { reserved: concurrency.reserved } : {}),
    },
  };
}

/** Two environments writing one state would destroy each other's resources. */
function checkDistinctState(environments: Record<string, ProjectSettings>, problems: ConfigProblem[]): void {
  const seen = new Map<string, string>();
  for (const [name, s] of Object.entries(environments)) {
    const where = `s3://${s.state.bucket}/${s.state.key}`;
    const other = seen.get(where);
    if (other) {
      problems.push({
        line: 0,
        column: 0,
        path: `environments.${name}.state.key`,
        message: `environments "${other}" and "${name}" share the Terraform state ${where}; give each its own state.key`,
      });
    }
    seen.set(where, name);
  }
}

/** Where a path points in the document: its key or its value, else the nearest parent that exists. */
function offsetOf(doc: Document, path: string[], atKey = false): number {
  for (let depth = path.length; depth >= 0; depth--) {
    const parent = doc.getIn(path.slice(0, depth - 1), true);
    if (depth > 0 && isMap(parent)) {
      const pair = parent.items.find((item) => isScalar(item.key) && String(item.key.value) === path[depth - 1]);
      const node = (atKey && depth === path.length ? pair?.key : pair?.value) as Node | undefined;
      if (node?.range) return node.range[0];
    }
    if (depth === 0) return doc.contents?.range?.[0] ?? 0;
  }
  return 0;
}

function displayName(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel && !rel.startsWith('..') ? rel : file;
}
