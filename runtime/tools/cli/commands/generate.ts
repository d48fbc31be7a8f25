// `collect generate`: writes the Terraform of the collectors (deploy/terraform/generated/)
// and of each environment (deploy/terraform/environments/); `--check` only compares.
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Command } from '../command.ts';
import { DEFAULT_CONFIG_FILE } from '../../../../deploy/config/project-config.ts';
import { generateFromFiles } from '../../../../deploy/generate/from-files.ts';
import { compareGenerated, isClean, writeGenerated, type Drift } from '../../../../deploy/generate/sync.ts';
import { projectPath } from '../project.ts';

export const DEFAULT_TERRAFORM_DIR = 'deploy/terraform';

const usage = `Usage: collect generate [--check] [--config FILE] [--out DIR] [paths...]

Generates the Terraform of every collector, a pure function of the collector
files and the project config:
  deploy/terraform/generated/collector_<name>.tf   task queue, event source mapping,
                                                   (if scheduled) schedule, and its
                                                   table in the Glue Data Catalog
  deploy/terraform/generated/collectors.tf         what they share: the per-collector
                                                   IAM policy (listing collectors only
                                                   with iam.scope: collector)
  deploy/terraform/environments/<env>.tfvars       settings of each environment
  deploy/terraform/environments/<env>.s3.tfbackend its Terraform state (S3 backend)
Files of collectors that no longer exist are deleted. Commit the result: the diff
of a pull request shows exactly what a new collector adds: one new file. Refuses
collectors that the deployed function could not run (see collect validate) and
settings AWS would refuse at apply time (name lengths, environment and policy
sizes); warns when the scheduled collectors whose runs can overlap may ask for
more invocations at once than the function's reserved concurrency or the
account's limit (concurrency in collect.config.yaml; collect explain shows the
peak).

Arguments:
  paths              collector files or directories; default collectors/

Options:
  --check            write nothing; exit 1 when a generated file is stale, missing
                     or left over (for CI)
  --config FILE      project config; default ${DEFAULT_CONFIG_FILE}
  --out DIR          Terraform root module; default ${DEFAULT_TERRAFORM_DIR}
  --help, -h         show this help

Example:
  collect generate
  collect generate --check`;

export const generateCommand: Command = {
  name: 'generate',
  summary: 'write the Terraform of the collectors (deploy/terraform/generated/); --check for CI',
  usage,
  async run(argv, io) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        check: { type: 'boolean', default: false },
        config: { type: 'string' },
        out: { type: 'string' },
      },
    });
    const root = values.out ? resolve(io.cwd, values.out) : projectPath(io.cwd, DEFAULT_TERRAFORM_DIR);
    const shown = (name: string): string => relative(io.cwd, join(root, name)) || name;
    const { files, collectorCount, warnings } = await generateFromFiles({
      cwd: io.cwd,
      config: values.config ? resolve(io.cwd, values.config) : projectPath(io.cwd, DEFAULT_CONFIG_FILE),
      collectors: positionals.length > 0 ? positionals : [projectPath(io.cwd, 'collectors')],
    });

    for (const warning of warnings) io.stderr.write(`warning: ${warning}\n`);

    if (values.check) {
      const drift = await compareGenerated(root, files);
      if (isClean(drift)) {
        io.stdout.write(`generated Terraform is up to date (${collectorCount} collector${collectorCount === 1 ? '' : 's'})\n`);
        return 0;
      }
      for (const line of describe(drift, shown, { changed: 'is out of date', missing: 'is missing', extra: 'should not exist any more' }))
        io.stderr.write(`${line}\n`);
      io.stderr.write('Run `npx collect generate` and commit the result.\n');
      return 1;
    }

    const drift = await writeGenerated(root, files);
    const lines = describe(drift, shown, { changed: 'updated', missing: 'created', extra: 'deleted' });
    io.stdout.write(lines.length > 0 ? lines.map((l) => `${l}\n`).join('') : 'generated Terraform is up to date\n');
    return 0;
  },
};

function describe(drift: Drift, shown: (name: string) => string, verbs: Record<keyof Drift, string>): string[] {
  return (['missing', 'changed', 'extra'] as const).flatMap((kind) => drift[kind].map((name) => `${shown(name)} ${verbs[kind]}`));
}
