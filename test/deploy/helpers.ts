// Shared by the deploy tests: small collectors, a project config, the provider
// schema from test data, and parsing of generated files.
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseProjectConfig, type ProjectConfig } from '../../deploy/config/project-config.ts';
import { parseHcl, type HclFile } from '../../deploy/check/parse.ts';
import { ProviderSchema, type ProviderSchemaDocument } from '../../deploy/check/provider-schema.ts';
import type { Collector } from '../../runtime/language/generated/collector.types.ts';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

export function providerSchema(): ProviderSchema {
  const path = new URL('../fixtures/terraform/aws-provider-schema.subset.json', import.meta.url);
  return new ProviderSchema(JSON.parse(readFileSync(path, 'utf8')) as ProviderSchemaDocument);
}

export const CONFIG_YAML = `
region: eu-west-1
state:
  bucket: acme-terraform-state
environments:
  dev:
    functionName: collect-dev
    timeoutSeconds: 240
    bucket: { name: acme-output-dev }
  prod:
    functionName: collect-prod
    memoryMb: 1024
    bucket: { name: acme-output }
    queue: { maxReceiveCount: 8 }
    alarm: { snsTopicArn: "arn:aws:sns:eu-west-1:123456789012:alerts" }
`;

export function projectConfig(text = CONFIG_YAML, env?: string): ProjectConfig {
  return parseProjectConfig(text, 'collect.config.yaml', env);
}

export function collector(name: string, extra: Partial<Collector> = {}): Collector {
  return {
    name,
    start: { urls: ['https://example.com/'] },
    extract: { fields: { title: 'h1' } },
    output: `s3://example-bucket/raw/{{ name }}`,
    ...extra,
  };
}

/** Every generated (or given) file parsed, by name; `.tf` only unless `all`. */
export async function parseAll(
  files: ReadonlyMap<string, string>,
  filter: (name: string) => boolean = (n) => n.endsWith('.tf'),
): Promise<Map<string, HclFile>> {
  const out = new Map<string, HclFile>();
  for (const [name, text] of files) if (filter(name)) out.set(name, await parseHcl(name, text));
  return out;
}

/** The files of the generated module only, keyed by their name inside it. */
export async function generatedModule(files: ReadonlyMap<string, string>): Promise<Map<string, HclFile>> {
  const out = new Map<string, HclFile>();
  for (const [name, text] of files) {
    if (name.startsWith('generated/') && name.endsWith('.tf')) out.set(name.slice('generated/'.length), await parseHcl(name, text));
  }
  return out;
}

type Bodies = Record<string, Record<string, Record<string, unknown>[]>>;

/** The single body of `resource "TYPE" "NAME"` (or data) across parsed files. */
export function body(files: Map<string, HclFile>, kind: 'resource' | 'data', type: string, name: string): Record<string, unknown> {
  for (const parsed of files.values()) {
    const found = (parsed[kind] as Bodies | undefined)?.[type]?.[name]?.[0];
    if (found) return found;
  }
  throw new Error(`${kind} ${type}.${name} not found`);
}

/** Names of every `resource "TYPE"` across parsed files. */
export function resourceNames(files: Map<string, HclFile>, type: string, kind: 'resource' | 'data' = 'resource'): string[] {
  const names: string[] = [];
  for (const parsed of files.values()) names.push(...Object.keys((parsed[kind] as Bodies | undefined)?.[type] ?? {}));
  return names.sort();
}

/** A collector file the real loader accepts. */
export function collectorYaml(name: string, extra = ''): string {
  return `name: ${name}
start:
  urls: ["https://example.com/${name}/"]
extract:
  items: li
  fields:
    title: a
output: s3://example-bucket/raw/{{ name }}
${extra}`;
}

/** A project with collect.config.yaml and two collectors (alpha is scheduled). */
export async function writeProject(dir: string): Promise<void> {
  await writeFile(join(dir, 'collect.config.yaml'), CONFIG_YAML);
  await mkdir(join(dir, 'collectors'));
  await writeFile(join(dir, 'collectors', 'alpha.yaml'), collectorYaml('alpha', 'schedule:\n  expression: rate(1 hour)\n'));
  await writeFile(join(dir, 'collectors', 'beta.yaml'), collectorYaml('beta'));
}
