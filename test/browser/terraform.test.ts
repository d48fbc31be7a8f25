// The browser function in the generated Terraform: created only when a
// collector has a browser block; that collector's queue feeds it, the others'
// the HTTP function; every block matches the AWS provider schema, every
// reference resolves, and the hand-written root module passes the module what
// the browser function needs (checked as `terraform validate` would, offline).
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseModuleDir } from '../../deploy/check/parse.ts';
import { checkProviderSchema } from '../../deploy/check/provider-schema.ts';
import { checkReferences } from '../../deploy/check/references.ts';
import { BROWSER_FUNCTION_FILE } from '../../deploy/generate/browser-function-file.ts';
import { generateTerraform } from '../../deploy/generate/generate.ts';
import { resolveCollector } from '../../runtime/language/resolve.ts';
import { body, collector, generatedModule, projectConfig, providerSchema, repoRoot } from '../deploy/helpers.ts';

const schema = providerSchema();
const collectors = [collector('plain-site'), collector('rendered-site', { browser: { wait: { selector: 'li.product' } } })].map(
  resolveCollector,
);

describe('the browser function in the generated Terraform', () => {
  it('is generated only when a collector has a browser block, naming none', () => {
    const without = generateTerraform([collectors[0]!], projectConfig());
    expect(without.has(BROWSER_FUNCTION_FILE)).toBe(false);
    const withIt = generateTerraform(collectors, projectConfig());
    expect(withIt.get(BROWSER_FUNCTION_FILE)).toContain('resource "aws_lambda_function" "browser"');
    // A second browser collector adds its own file and changes this one in nothing.
    const more = generateTerraform([...collectors, resolveCollector(collector('more-rendered', { browser: {} }))], projectConfig());
    expect(more.get(BROWSER_FUNCTION_FILE)).toBe(withIt.get(BROWSER_FUNCTION_FILE));
  });

  it("routes the browser collector's queue to the browser function and the others to the HTTP function", async () => {
    const module = await generatedModule(generateTerraform(collectors, projectConfig()));
    expect(body(module, 'resource', 'aws_lambda_event_source_mapping', 'rendered_site').function_name).toBe(
      '${aws_lambda_function.browser.arn}',
    );
    expect(body(module, 'resource', 'aws_lambda_event_source_mapping', 'plain_site').function_name).toBe('${var.function_arn}');
    const fn = body(module, 'resource', 'aws_lambda_function', 'browser');
    expect(fn).toMatchObject({
      function_name: '${var.name_prefix}-browser',
      role: '${var.function_role_arn}',
      architectures: ['x86_64'],
      memory_size: 2048,
      handler: 'index.handler',
      filename: '${var.browser_lambda_zip_path}',
      layers: ['${aws_lambda_layer_version.chromium.arn}'],
    });
    expect(String((fn.environment as Record<string, unknown>[])[0]!.variables)).toBe(
      '${merge(var.function_environment, { COLLECT_CHROMIUM_PACK = "/opt/chromium" })}',
    );
    expect(body(module, 'resource', 'aws_lambda_layer_version', 'chromium')).toMatchObject({
      s3_bucket: '${aws_s3_object.chromium_layer.bucket}',
      compatible_architectures: ['x86_64'],
    });
  });

  it('matches the provider schema and resolves every reference, with the root module calling it', async () => {
    const files = generateTerraform(collectors, projectConfig());
    const module = await generatedModule(files);
    for (const [name, parsed] of module) expect(checkProviderSchema(name, parsed, schema)).toEqual([]);
    expect(checkReferences({ files: module }, schema, { unusedVariables: false })).toEqual([]);
    const root = await parseModuleDir(join(repoRoot, 'deploy/terraform'));
    expect(checkReferences({ files: root, children: new Map([['./generated', module]]) }, schema)).toEqual([]);
  });
});
