// `collect deploy` (`npm run deploy`): from collector files to AWS in one command.
import { resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { parseArgs } from 'node:util';
import type { Command } from '../command.ts';
import { DEFAULT_CONFIG_FILE, DEFAULT_ENVIRONMENT } from '../../../../deploy/config/project-config.ts';
import { deploy } from '../../../../deploy/pipeline/deploy.ts';
import type { DeploySteps } from '../../../../deploy/pipeline/steps.ts';
import { DEFAULT_TERRAFORM_DIR } from './generate.ts';
import { projectPath, projectRoot } from '../project.ts';

const usage = `Usage: collect deploy [--env NAME] [--plan-only] [--yes] [--config FILE] [paths...]

Deploys the collectors to AWS, in order, stopping at the first failure:
  1. validate the collectors          (collect validate)
  2. replay the recorded tests        (collect test, for collectors with a .har)
  3. build the function bundle        (npm run build -> dist/lambda.zip)
  4. generate the Terraform           (collect generate)
  5. terraform init                   with the environment's S3 state
  6. terraform plan                   saved to deploy/terraform/<env>.tfplan
  7. terraform apply                  of that plan, after you type "yes" (or --yes)
Needs terraform (1.10 or later) on PATH and AWS credentials (AWS_PROFILE, access
keys, or a CI role); without them it stops before doing anything.

Arguments:
  paths              collector files or directories; default collectors/

Options:
  --env NAME         environment of ${DEFAULT_CONFIG_FILE} (its own state); default ${DEFAULT_ENVIRONMENT}
  --plan-only        stop after the plan; apply nothing
  --yes              apply without asking (CI)
  --config FILE      project config; default ${DEFAULT_CONFIG_FILE}
  --help, -h         show this help

Exit status: 0 when deployed (or planned with --plan-only, or nothing to change);
1 when a step failed or the apply was not confirmed.

Example:
  npm run deploy
  npx collect deploy --env prod --plan-only
  npx collect deploy --env prod --yes`;

export interface DeployCommandDeps {
  /** Where the confirmation is read; default process.stdin. */
  stdin?: Readable;
  /** Replaces validate/test/build (tests). */
  steps?: DeploySteps;
}

export function createDeployCommand(deps: DeployCommandDeps = {}): Command {
  return {
    name: 'deploy',
    summary: 'validate, test, build, generate, then terraform init/plan/apply one environment',
    usage,
    async run(argv, io) {
      const { values, positionals } = parseArgs({
        args: argv,
        allowPositionals: true,
        options: {
          env: { type: 'string' },
          'plan-only': { type: 'boolean', default: false },
          yes: { type: 'boolean', default: false },
          config: { type: 'string' },
        },
      });
      return deploy({
        // Terraform, the config and the build all live at the project's root.
        cwd: projectRoot(io.cwd),
        env: io.env,
        stdout: io.stdout,
        stderr: io.stderr,
        stdin: deps.stdin ?? process.stdin,
        ...(values.env ? { environment: values.env } : {}),
        planOnly: values['plan-only'],
        yes: values.yes,
        configFile: resolve(io.cwd, values.config ?? projectPath(io.cwd, DEFAULT_CONFIG_FILE)),
        collectors: positionals.length > 0 ? positionals.map((p) => resolve(io.cwd, p)) : [projectPath(io.cwd, 'collectors')],
        terraformDir: DEFAULT_TERRAFORM_DIR,
        ...(deps.steps ? { steps: deps.steps } : {}),
      });
    },
  };
}

export const deployCommand: Command = createDeployCommand();
