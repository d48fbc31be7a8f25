// The project's peak concurrency where a user meets it: `collect explain` shows
// it for each collector, `collect generate` warns when it can pass a limit.
import { runCommand } from '../helpers/command.ts';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { explainCommand } from '../../runtime/tools/cli/commands/explain.ts';
import { generateCommand } from '../../runtime/tools/cli/commands/generate.ts';
import { CONFIG_YAML, collectorYaml, writeProject } from './helpers.ts';

const run = runCommand;

describe("the project's peak concurrency", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'collect-concurrency-'));
    // alpha runs every hour (rate(1 hour): every window), beta on demand.
    await writeProject(dir);
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('is shown by collect explain, with the part of the collector explained', async () => {
    const alpha = await run(explainCommand, ['collectors/alpha.yaml', '--format', 'json'], dir);
    expect(JSON.parse(alpha.stdout).concurrency).toEqual([
      "project peak: 5 invocations at once in Sun 00:00-00:15 UTC: 1 of the 1 scheduled collectors can be running then, + 3 of the project's own",
      'this collector can take up to 2 of them (scaling.maxConcurrency)',
      'account limit 1000, reserved concurrency none (collect.config.yaml, environment dev)',
      expect.stringMatching(/^model: a run lasts up to 60 min after its start/),
    ]);
    const beta = await run(explainCommand, ['collectors/beta.yaml'], dir);
    expect(beta.stdout).toContain("\nConcurrency (the project's peak)\n  project peak: 5 invocations at once");
    expect(beta.stdout).toContain('this collector has no enabled schedule, so it is not counted');
  });

  it('counts the file being explained as it is now, and warns past the limits in explain and in generate', async () => {
    await writeFile(join(dir, 'collect.config.yaml'), `${CONFIG_YAML}concurrency: { accountLimit: 100 }\n`);
    // An edit not generated yet: beta now runs daily at 06:00 with up to 120 invocations.
    await writeFile(
      join(dir, 'collectors', 'beta.yaml'),
      collectorYaml('beta', 'schedule:\n  expression: cron(0 6 * * ? *)\nscaling:\n  maxConcurrency: 120\n'),
    );
    const explained = await run(explainCommand, ['collectors/beta.yaml', '--env', 'prod', '--format', 'json'], dir);
    const lines = JSON.parse(explained.stdout).concurrency as string[];
    expect(lines[0]).toBe(
      "project peak: 125 invocations at once in Sun 06:00-06:15 UTC: 2 of the 2 scheduled collectors can be running then, + 3 of the project's own",
    );
    expect(lines[1]).toBe('this collector can take up to 120 of them (scaling.maxConcurrency)');
    expect(lines[2]).toBe('account limit 100, reserved concurrency none (collect.config.yaml, environment prod)');
    expect(lines[3]).toMatch(
      /^WARNING: environment "prod": 2 collectors whose runs can overlap .* may ask for 125 invocations at once, more than the account's concurrency limit of 100/,
    );

    const generated = await run(generateCommand, [], dir);
    expect(generated.code).toBe(0);
    expect(generated.stderr.split('\n').filter((l) => l.startsWith('warning: environment'))).toEqual([
      expect.stringMatching(
        /^warning: environment "dev": 2 collectors .* largest: beta 120, alpha 2\) may ask for 125 invocations at once, more than the account's concurrency limit of 100/,
      ),
      expect.stringMatching(/^warning: environment "prod": /),
    ]);
  });
});
