// Collectors use only what the deployed function has, checked against
// collect.config.yaml by `collect validate` (when the project has one) and by
// `collect generate` (always): the facts of every environment, and the
// commands' answers with line and column.
import { runCommand } from '../helpers/command.ts';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deploymentFacts } from '../../deploy/config/deployment-facts.ts';
import { parseProjectConfig } from '../../deploy/config/project-config.ts';
import { namePrefixWarnings } from '../../deploy/generate/limits.ts';
import { generateCommand } from '../../runtime/tools/cli/commands/generate.ts';
import { validateCommand } from '../../runtime/tools/cli/commands/validate.ts';
import { CONFIG_YAML, collectorYaml, projectConfig, repoRoot, writeProject } from './helpers.ts';

/** The errors a command printed (the test collectors also draw warnings: no owner, no expect). */
const errors = (stdout: string): string[] => stdout.split('\n').filter((l) => l.includes(' error '));

const run = runCommand;

/** Line 9 is `request:` (collectorYaml writes 8 lines before the extra ones). */
const USES_ENV_AND_SSM = [
  'request:',
  '  headers:',
  '    X-Base: ${env:PARTNER_API_URL}',
  '    Authorization: Bearer ${ssm:/vendor/token}',
  '',
].join('\n');

describe('deployment facts of collect.config.yaml', () => {
  it('are what every environment has: env in all of them, the SSM prefixes of project scope, the shortest timeout', () => {
    const config = parseProjectConfig(
      `${CONFIG_YAML}env: { SHARED: a }\n`.replace(
        '    bucket: { name: acme-output-dev }',
        '    bucket: { name: acme-output-dev }\n    env: { DEV_ONLY: b }\n    ssm: { pathPrefix: /collect-dev/ }',
      ),
      'collect.config.yaml',
    );
    expect(deploymentFacts(config)).toEqual({
      envNames: ['SHARED'],
      envMissingIn: { DEV_ONLY: ['prod'] },
      iamScope: 'project',
      ssmPathPrefixes: ['/collect-dev/', '/collect/'],
      timeoutSeconds: 240,
      timeoutEnvironment: 'dev',
    });
    const strict = projectConfig(`${CONFIG_YAML}iam: { scope: collector }\n`);
    expect(deploymentFacts(strict)).toMatchObject({ iamScope: 'collector', ssmPathPrefixes: [] });
  });
});

describe('collect validate and collect generate against collect.config.yaml', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'collect-fit-'));
    await writeProject(dir);
    await writeFile(join(dir, 'collectors', 'beta.yaml'), collectorYaml('beta', USES_ENV_AND_SSM));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const expected = [
    'collectors/beta.yaml:11:13 error request.headers.X-Base: ${env:PARTNER_API_URL}: the deployed function has no environment variable PARTNER_API_URL (a secret belongs in SSM Parameter Store, referenced as ${ssm:/path}; a plain value goes under env: in collect.config.yaml (PARTNER_API_URL: …))',
    'collectors/beta.yaml:12:27 error request.headers.Authorization: ${ssm:/vendor/token}: the function may read only the SSM parameters below /collect/ (ssm.pathPrefix of collect.config.yaml) (move the parameter under /collect/ (e.g. /collect/vendor/token), or set iam.scope: collector in collect.config.yaml to grant each parameter by name)',
  ];

  it('validate reports what the function lacks, at the reference, when the project has a collect.config.yaml', async () => {
    const result = await run(validateCommand, [], dir);
    expect(result.code).toBe(1);
    expect(errors(result.stdout)).toEqual(expected);

    // From a subfolder too: the config is found at the project's root.
    await mkdir(join(dir, 'sub'));
    expect((await run(validateCommand, [], join(dir, 'sub'))).code).toBe(1);
  });

  it('validate says nothing of the deployment without a collect.config.yaml', async () => {
    await rm(join(dir, 'collect.config.yaml'));
    const result = await run(validateCommand, [], dir);
    expect(result.code).toBe(0);
    expect(errors(result.stdout)).toEqual([]);
  });

  it('validate passes once the config gives the function what the collector uses', async () => {
    const config = `${CONFIG_YAML}env: { PARTNER_API_URL: "https://api.partner.example" }\nssm: { pathPrefix: /vendor/ }\n`;
    await writeFile(join(dir, 'collect.config.yaml'), config);
    expect(errors((await run(validateCommand, [], dir)).stdout)).toEqual([]);
    await writeFile(join(dir, 'collect.config.yaml'), `${CONFIG_YAML}env: { PARTNER_API_URL: x }\niam: { scope: collector }\n`);
    expect(await run(validateCommand, [], dir)).toMatchObject({ code: 0 });
  });

  it('validate reports a broken collect.config.yaml like a collector problem', async () => {
    await writeFile(join(dir, 'collect.config.yaml'), `${CONFIG_YAML}timeoutSeconds: 9000\n`);
    const result = await run(validateCommand, [], dir);
    expect(result.code).toBe(1);
    expect(errors(result.stdout)).toEqual(['collect.config.yaml:16:17 error timeoutSeconds: must be <= 900']);
  });

  it('validate reports a function timeout too short for one page, with both numbers', async () => {
    await writeFile(join(dir, 'collect.config.yaml'), CONFIG_YAML.replace('timeoutSeconds: 240', 'timeoutSeconds: 100'));
    const result = await run(validateCommand, ['collectors/alpha.yaml'], dir);
    expect(errors(result.stdout)).toEqual([
      "collectors/alpha.yaml:1:1 error name: one page can take 215 s (request.timeoutSeconds 30 s x 4 tries, 3 retries x up to 30 s of backoff, 5 s to spare), more than the function's timeout of 100 s of environment dev (raise timeoutSeconds in collect.config.yaml to at least 215, or lower request.timeoutSeconds, request.retries.attempts or request.retries.maxDelaySeconds)",
    ]);
  });

  it('generate refuses the same collectors, and writes nothing', async () => {
    await expect(run(generateCommand, [], dir)).rejects.toThrow(
      `the collectors have errors; fix them first (npx collect validate):\n${expected.join('\n')}`,
    );
    await expect(readFile(join(dir, 'deploy/terraform/generated/collectors.tf'), 'utf8')).rejects.toThrow(/ENOENT/);
  });

  it('generate warns when one environment could reach the queues of another', async () => {
    await writeFile(join(dir, 'collectors', 'beta.yaml'), collectorYaml('beta'));
    await writeFile(join(dir, 'collect.config.yaml'), CONFIG_YAML.replace('functionName: collect-prod', 'functionName: collect'));
    const result = await run(generateCommand, [], dir);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/^warning: environment "prod" \(functionName "collect"\) may use every queue named collect-\*/);
  });
});

describe('docs/aws.md', () => {
  it('shows a collect.config.yaml that is valid, and whose environments do not reach each other', async () => {
    const page = await readFile(join(repoRoot, 'docs/aws.md'), 'utf8');
    // A fenced block that starts with `region:`, indented as the list item around it.
    const examples = [...page.matchAll(/^( *)```yaml\n(\1region:[\s\S]*?)\n\1```/gm)].map((m) =>
      m[2]!
        .split('\n')
        .map((line) => line.slice(m[1]!.length))
        .join('\n'),
    );
    expect(examples.length).toBeGreaterThan(0);
    for (const text of examples) {
      const config = parseProjectConfig(text, 'collect.config.yaml');
      expect(Object.keys(config.environments).length).toBeGreaterThan(0);
      expect(namePrefixWarnings(config)).toEqual([]);
    }
  });
});
