// `collect validate`: every mistake of every collector file, with its line and column.
import { existsSync } from 'node:fs';
import { relative, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { UsageError, type Command } from '../command.ts';
import {
  DIAGNOSTIC_FORMATS,
  countBySeverity,
  formatDiagnostics,
  type Diagnostic,
  type DiagnosticFormat,
} from '../../../language/diagnostic.ts';
import { loadCollectors, type LoadContext } from '../../../language/load.ts';
import { projectPath } from '../project.ts';
import { scriptRenderedWarnings } from '../../review/script-rendered.ts';
import { deploymentFacts } from '../../../../deploy/config/deployment-facts.ts';
import { ProjectConfigError } from '../../../../deploy/config/errors.ts';
import { DEFAULT_CONFIG_FILE, loadProjectEnvironments } from '../../../../deploy/config/project-config.ts';

const usage = `Usage: collect validate [paths...] [--format text|github|json]

Checks collector files: YAML syntax, the schema (unknown or misspelt options,
wrong types and values), and what the schema cannot see: undefined {{ variables }},
selectors, JMESPath and regexes that do not compile, schedule expressions, time
zones, S3 output locations, literal secrets, names that differ from the file name.
With a collect.config.yaml at the project's root, also that each collector uses
only what the deployed function has: \${env:NAME} only for variables of its env:,
\${ssm:/path} only below ssm.pathPrefix (iam.scope: project), and a function
timeout long enough for one page with every retry. With a recording beside a
collector (collectors/NAME.har), also warns when extract.items matches nothing
on its recorded page while that page loads scripts: items rendered by script,
which need a browser block (compare with collect try --browser).

Arguments:
  paths                  files or directories (their *.yaml and *.yml files); default collectors/

Options:
  --format, -f FORMAT    text (default): file:line:col severity path: message (hint)
                         github: GitHub Actions annotations on the pull request
                         json: an array of diagnostics
  --help, -h             show this help

Exits 1 when there is any error; warnings do not fail.

Example:
  collect validate
  collect validate collectors/books-toscrape.yaml --format github`;

export const validateCommand: Command = {
  name: 'validate',
  summary: 'check collector files and report every mistake with its line and column',
  usage,
  async run(argv, io) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { format: { type: 'string', short: 'f', default: 'text' } },
    });
    const format = values.format as DiagnosticFormat;
    if (!DIAGNOSTIC_FORMATS.includes(format))
      throw new UsageError(`unknown format "${values.format}"; use ${DIAGNOSTIC_FORMATS.join(', ')}`);
    const { context, problems } = await deploymentContext(io.cwd);
    const { diagnostics, files, loaded } = await loadCollectors(
      positionals.length > 0 ? positionals : [projectPath(io.cwd, 'collectors')],
      io.cwd,
      context,
    );
    diagnostics.unshift(...problems);
    // From a committed recording, offline: items that a plain fetch never sees (rendered by script).
    diagnostics.push(...(await scriptRenderedWarnings(loaded, io.cwd)));
    io.stdout.write(formatDiagnostics(diagnostics, format));
    const { errors, warnings } = countBySeverity(diagnostics);
    if (format === 'text') io.stderr.write(`${plural(files.length, 'file')}, ${plural(errors, 'error')}, ${plural(warnings, 'warning')}\n`);
    return errors > 0 ? 1 : 0;
  },
};

/** The deployment's facts when the project has a collect.config.yaml; its problems as diagnostics when it cannot be read. */
async function deploymentContext(cwd: string): Promise<{ context: LoadContext; problems: Diagnostic[] }> {
  const file = projectPath(cwd, DEFAULT_CONFIG_FILE);
  if (!existsSync(file)) return { context: {}, problems: [] };
  try {
    return { context: { deployment: deploymentFacts({ environments: await loadProjectEnvironments(file) }) }, problems: [] };
  } catch (err) {
    if (!(err instanceof ProjectConfigError)) throw err;
    const shown = relative(cwd, file).split(sep).join('/');
    const problems = err.problems.map(
      (p): Diagnostic => ({
        file: shown,
        line: Math.max(p.line, 1),
        column: Math.max(p.column, 1),
        path: p.path,
        message: p.message,
        severity: 'error',
      }),
    );
    return { context: {}, problems };
  }
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
