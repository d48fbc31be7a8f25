// A project of 1,000 distinct collectors (bench/thousand/project.ts): the
// function's configuration does not grow with them, and what does grow (one
// file per collector) checks against the provider schema.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectorName, kindOf, PROJECT_CONFIG, THOUSAND, writeThousandProject } from '../../bench/thousand/project.ts';
import { policyStatements } from '../../deploy/check/iam.ts';
import { checkProviderSchema } from '../../deploy/check/provider-schema.ts';
import { checkReferences } from '../../deploy/check/references.ts';
import { generateFromFiles, type Generated } from '../../deploy/generate/from-files.ts';
import { generateTerraform } from '../../deploy/generate/generate.ts';
import { functionEnvironment } from '../../deploy/generate/limits.ts';
import { readLambdaConfig } from '../../runtime/drivers/lambda/config.ts';
import { loadCollectors } from '../../runtime/language/load.ts';
import { generatedModule, projectConfig, providerSchema, resourceNames } from './helpers.ts';

let dir: string;
let generated: Generated;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'collect-thousand-'));
  await writeThousandProject(dir);
  generated = await generateFromFiles({ cwd: dir, config: 'collect.config.yaml', collectors: ['collectors'] });
}, 120_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('a project of 1,000 collectors', () => {
  it('validates: a thousand distinct collectors of five kinds, every one without an error', async () => {
    expect(generated.collectorCount).toBe(THOUSAND);
    const kinds = new Set(Array.from({ length: THOUSAND }, (_, i) => kindOf(i)));
    expect(kinds.size).toBe(5);
    const { diagnostics } = await loadCollectors([join(dir, 'collectors', `${collectorName(7)}.yaml`)], dir);
    expect(diagnostics).toEqual([]);
  });

  it('gives each collector one file and the module two more, none of them naming a collector', () => {
    const files = [...generated.files.keys()].filter((k) => k.startsWith('generated/'));
    expect(files).toHaveLength(THOUSAND + 2);
    expect(generated.files.get('generated/collectors.tf')).not.toMatch(/source-\d/);
    expect(generated.files.get('generated/variables.tf')).not.toMatch(/source-\d/);
    const longest = Math.max(...files.filter((f) => f.includes('collector_')).map((f) => generated.files.get(f)!.split('\n').length));
    expect(longest).toBeLessThan(200);
  });

  it('keeps the function environment and the project-scope policy the same as with two collectors', async () => {
    const two = generateTerraform([], generated.config);
    // The environment files (the function's settings) do not depend on the collectors at all.
    for (const env of ['environments/dev.tfvars', 'environments/dev.s3.tfbackend']) expect(generated.files.get(env)).toBe(two.get(env));
    const environment = functionEnvironment(generated.config);
    const bytes = Object.entries(environment).reduce((n, [k, v]) => n + k.length + v.length, 0);
    expect(bytes).toBeLessThan(1024);
    expect(Object.keys(environment)).not.toContain('COLLECT_QUEUES');
    // The function finds every collector's queue from one prefix.
    expect(readLambdaConfig(environment).queueUrlPrefix).toBe('https://sqs.eu-west-1.amazonaws.com/123456789012/lake-dev-');
    // With iam.scope project the generated policy names no collector (and is not attached at all).
    const module = await generatedModule(new Map([['generated/collectors.tf', generated.files.get('generated/collectors.tf')!]]));
    expect(policyStatements(module).flatMap((s) => s.resources)).toEqual(['${var.bucket_arn}']);
  });

  it('refuses iam.scope collector for so many: its policy would pass IAM’s 10,240 characters', async () => {
    const { loaded } = await loadCollectors(['collectors'], dir);
    const strict = projectConfig(`${PROJECT_CONFIG}iam: { scope: collector }\n`);
    expect(() =>
      generateTerraform(
        loaded.map((l) => l.collector),
        strict,
      ),
    ).toThrow(
      /would need about \d{5,} characters of policy, more than IAM's 10240 \(iam.scope: collector lists each of the 1000 collectors/,
    );
  });

  it('writes collector files that check against the provider schema, one of each kind and each schedule shape', async () => {
    const sample = new Map<string, string>();
    for (let i = 0; i < 20; i++)
      sample.set(`generated/collector_${collectorName(i)}.tf`, generated.files.get(`generated/collector_${collectorName(i)}.tf`)!);
    for (const name of ['generated/collectors.tf', 'generated/variables.tf']) sample.set(name, generated.files.get(name)!);
    const module = await generatedModule(sample);
    const schema = providerSchema();
    for (const [name, parsed] of module) expect(checkProviderSchema(name, parsed, schema), name).toEqual([]);
    expect(checkReferences({ files: module }, schema, { unusedVariables: false })).toEqual([]);
    expect(resourceNames(module, 'aws_glue_catalog_table')).toHaveLength(20);
    expect(resourceNames(module, 'aws_scheduler_schedule')).toHaveLength(18);
  });

  it('reports the peak concurrency of the overlapping schedules', () => {
    const c = generated.concurrency;
    expect(c.scheduled).toBe(900);
    expect(c.onDemand).toBe(100);
    expect(c.peak).toBeGreaterThan(700);
    expect(c.peak).toBeLessThanOrEqual(1000);
    expect(c.window).toMatch(/^\w{3} \d\d:\d\d-\d\d:\d\d UTC$/);
    expect(generated.warnings).toEqual([]);
  });
});
