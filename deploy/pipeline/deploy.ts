// `npm run deploy`: validate, test, build, generate, then terraform init, plan
// and (after a "yes", or --yes) apply the saved plan, so what is applied is
// exactly what was shown. Each step is printed; the first failure stops it all.
import { rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { ProjectConfigError } from '../config/errors.ts';
import { loadProjectConfig, type ProjectConfig } from '../config/project-config.ts';
import { backendFileName, variablesFileName } from '../generate/environment-files.ts';
import { generateFromFiles } from '../generate/from-files.ts';
import { writeGenerated } from '../generate/sync.ts';
import { confirm } from './confirm.ts';
import { PreflightError, preflight } from './preflight.ts';
import { run } from './spawn.ts';
import { defaultSteps, type DeploySteps } from './steps.ts';

export interface DeployOptions {
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  stdout: Writable & { isTTY?: boolean };
  stderr: Writable;
  stdin: Readable;
  /** Environment name from collect.config.yaml; default dev. */
  environment?: string;
  planOnly: boolean;
  yes: boolean;
  configFile: string;
  collectors: string[];
  /** The Terraform root module, relative to cwd. */
  terraformDir: string;
  steps?: DeploySteps;
}

class StepFailed extends Error {
  override readonly name = 'StepFailed';
}

export async function deploy(o: DeployOptions): Promise<number> {
  let config: ProjectConfig;
  let terraform: string;
  try {
    const ready = preflight(o.env);
    terraform = ready.terraform;
    config = await loadProjectConfig(resolve(o.cwd, o.configFile), o.environment);
    o.stdout.write(
      `Deploying environment "${config.environment}" to ${config.region} (function ${config.functionName}), credentials from ${ready.credentials}.\n`,
    );
  } catch (err) {
    if (!(err instanceof PreflightError) && !(err instanceof ProjectConfigError)) throw err;
    o.stderr.write(`${err.message}\n`);
    return 1;
  }

  const env = config.environment;
  const total = o.planOnly ? 6 : 7;
  let n = 0;
  const step = (title: string): void => {
    o.stdout.write(`\n==> [${++n}/${total}] ${title}\n`);
  };
  const workdir = join(o.cwd, o.terraformDir);
  const planFile = `${env}.tfplan`;
  const tf = (args: string[]): Promise<number> => {
    const color = o.stdout.isTTY ? [] : ['-no-color'];
    const [command, ...rest] = args;
    return run(terraform, [command!, ...color, ...rest], {
      cwd: workdir,
      env: { ...o.env, TF_IN_AUTOMATION: '1' },
      stdout: o.stdout,
      stderr: o.stderr,
    });
  };
  const steps = o.steps ?? defaultSteps({ cwd: o.cwd, env: o.env, stdout: o.stdout, stderr: o.stderr, collectors: o.collectors });

  try {
    step('Validate the collectors');
    if (!(await steps.validate())) throw new StepFailed('the collectors have errors (see above); nothing was deployed');

    step('Replay the recorded collector tests');
    if (!(await steps.test())) throw new StepFailed('collector tests failed (see above); nothing was deployed');

    step('Build the function bundle');
    await steps.build();

    step('Generate the Terraform of the collectors');
    const { files, warnings } = await generateFromFiles({ cwd: o.cwd, config: o.configFile, collectors: o.collectors, environment: env });
    for (const warning of warnings) o.stderr.write(`warning: ${warning}\n`);
    const drift = await writeGenerated(workdir, files);
    const touched = [...drift.missing, ...drift.changed, ...drift.extra];
    o.stdout.write(touched.length === 0 ? 'generated files are up to date\n' : `updated ${touched.join(', ')} (commit them)\n`);

    step(`terraform init (state of "${env}")`);
    if ((await tf(['init', '-input=false', '-reconfigure', `-backend-config=${backendFileName(env)}`])) !== 0)
      throw new StepFailed('terraform init failed');

    step('terraform plan');
    const planned = await tf(['plan', '-input=false', '-detailed-exitcode', `-var-file=${variablesFileName(env)}`, `-out=${planFile}`]);
    if (planned === 1 || planned > 2) throw new StepFailed('terraform plan failed');
    if (o.planOnly) {
      o.stdout.write(`\nPlan only: nothing was applied. The plan is saved in ${join(o.terraformDir, planFile)}.\n`);
      return 0;
    }
    if (planned === 0) {
      o.stdout.write(`\nNo changes: "${env}" already matches the configuration.\n`);
      await rm(join(workdir, planFile), { force: true });
      return 0;
    }

    step('terraform apply');
    if (!o.yes) {
      const question = `Apply the plan above to environment "${env}"? Only "yes" applies: `;
      if (!(await confirm(question, o.stdin, o.stdout))) {
        o.stderr.write('Apply cancelled: nothing was changed.\n');
        return 1;
      }
    }
    const applied = await tf(['apply', '-input=false', planFile]);
    await rm(join(workdir, planFile), { force: true });
    if (applied !== 0) throw new StepFailed('terraform apply failed; run `npm run deploy` again once the error above is fixed');
    o.stdout.write(`\nDeployed "${env}".\n`);
    return 0;
  } catch (err) {
    if (!(err instanceof Error)) throw err;
    o.stderr.write(`collect deploy: ${err.message}\n`);
    return 1;
  }
}
