// The CI workflows are valid YAML, and every `npx collect <command>` and
// `npm run <script>` they call exists, with the options they pass.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { Command } from '../../runtime/tools/cli/command.ts';
import { loadCommands } from '../../runtime/tools/cli/registry.ts';
import { ROOT } from './support.ts';

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
interface Workflow {
  name: string;
  on: Record<string, unknown>;
  permissions?: Record<string, string>;
  jobs: Record<string, { 'runs-on': string; steps: Step[]; permissions?: Record<string, string>; if?: string }>;
}

const WORKFLOWS = ['pr.yml', 'deploy.yml'];
const read = (file: string) => parse(readFileSync(join(ROOT, '.github', 'workflows', file), 'utf8')) as Workflow;

/** Every command the CLI has. */
async function knownCommands(): Promise<Map<string, Command>> {
  return new Map((await loadCommands()).map((c) => [c.name, c]));
}

function runScripts(w: Workflow): string[] {
  return Object.values(w.jobs).flatMap((j) => j.steps.flatMap((s) => (s.run ? [s.run] : [])));
}

/** `npx collect NAME --a --b` calls: the command name and the options. */
function collectCalls(script: string): { name: string; options: string[] }[] {
  return [...script.matchAll(/npx collect ([a-z-]+)([^\n;|&>]*)/g)].map((m) => ({
    name: m[1]!,
    options: [...m[2]!.matchAll(/(?:^|\s)(--[a-z-]+)/g)].map((o) => o[1]!),
  }));
}

describe('GitHub workflows', () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
    bin: Record<string, string>;
  };

  for (const file of WORKFLOWS) {
    it(`${file} is a valid workflow`, () => {
      const w = read(file);
      expect(typeof w.name).toBe('string');
      expect(w.on).toBeTypeOf('object');
      for (const [id, job] of Object.entries(w.jobs)) {
        expect(job['runs-on'], id).toBe('ubuntu-latest');
        expect(job.steps.length, id).toBeGreaterThan(0);
        for (const step of job.steps) {
          expect(Boolean(step.uses) !== Boolean(step.run), `${id}: a step has uses or run`).toBe(true);
          if (step.uses) expect(step.uses).toMatch(/^[\w-]+\/[\w-]+@v\d+$/);
        }
      }
    });

    it(`${file} calls only commands, options and scripts that exist`, async () => {
      const known = await knownCommands();
      const scripts = runScripts(read(file));
      const calls = scripts.flatMap(collectCalls);
      for (const call of calls) {
        const command = known.get(call.name);
        expect(command, `npx collect ${call.name}`).toBeDefined();
        for (const option of call.options) expect(command!.usage, `npx collect ${call.name} ${option}`).toContain(option);
      }
      for (const script of scripts) {
        for (const m of script.matchAll(/npm run ([\w:-]+)(?: -- ([^\n]*))?/g)) {
          expect(pkg.scripts[m[1]!], `npm run ${m[1]}`).toBeDefined();
          // npm run deploy -- ... passes its options to collect deploy.
          const target = /^tsx runtime\/cli\/main\.ts ([a-z-]+)/.exec(pkg.scripts[m[1]!]!)?.[1];
          if (target && m[2])
            for (const o of m[2].matchAll(/(?:^|\s)(--[a-z-]+)/g)) expect(known.get(target)?.usage, `${target} ${o[1]}`).toContain(o[1]);
        }
        if (/npm test\b/.test(script)) expect(pkg.scripts.test).toBeDefined();
      }
      if (calls.length > 0) expect(pkg.bin.collect).toBeDefined();
    });
  }

  it('pr.yml runs the checks of the issue in order', () => {
    const steps = runScripts(read('pr.yml')).join('\n');
    const order = [
      'npm ci',
      'npm run typecheck',
      'npm test',
      'npx collect validate --format github',
      'npx collect test',
      'npx collect generate --check',
      'npx collect explain',
      'npx collect cost',
      'npx collect deploy',
    ];
    const at = order.map((s) => steps.indexOf(s));
    expect(
      at.every((i) => i >= 0),
      order.filter((_, k) => at[k]! < 0).join(', '),
    ).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    expect(steps).toContain('"$GITHUB_STEP_SUMMARY"');
    const plan = read('pr.yml').jobs.plan!;
    expect(plan.permissions?.['id-token']).toBe('write');
    expect(plan.if).toContain('vars.AWS_ROLE_ARN');
    expect(plan.steps.some((s) => s.uses?.startsWith('aws-actions/configure-aws-credentials@') && s.with?.['role-to-assume'])).toBe(true);
  });

  it('deploy.yml deploys main with an OIDC role', () => {
    const w = read('deploy.yml');
    expect(w.on.push).toEqual({ branches: ['main'] });
    expect(w.permissions?.['id-token']).toBe('write');
    const steps = Object.values(w.jobs)[0]!.steps;
    expect(
      steps.some(
        (s) => s.uses?.startsWith('aws-actions/configure-aws-credentials@') && s.with?.['role-to-assume'] === '${{ vars.AWS_ROLE_ARN }}',
      ),
    ).toBe(true);
    expect(runScripts(w).join('\n')).toMatch(/npm run deploy -- .*--yes/);
  });
});
