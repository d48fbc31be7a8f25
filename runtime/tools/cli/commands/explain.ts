// `collect explain`: what a collector will do on AWS, in words and numbers.
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { planSeeds } from '../../../core/engine/plan.ts';
import { manualRunId } from '../../../core/engine/run-id.ts';
import { checkVars, outputFormat, parseVars } from '../args.ts';
import { explainCollector, type Explanation } from '../../review/explain.ts';
import { projectConcurrency } from '../../review/explain-concurrency.ts';
import { formatExplanation } from '../../review/explain-format.ts';
import { functionSettings } from '../../review/project-settings.ts';
import { readRecordingInfo } from '../../review/recording-info.ts';
import { estimateVolume, readManifest } from '../../review/volume.ts';
import type { ResolvedCollector } from '../../../language/generated/resolved.types.ts';
import { loadCollectorFile } from '../../../language/load.ts';
import { UsageError, type CliIO, type Command } from '../command.ts';
import { projectPath, projectRoot } from '../project.ts';

const usage = `Usage: collect explain FILE... [options]

Prints what a collector will do, in words and numbers: the seed URLs (count and
the first few), how pages are read (format, items) and where they are loaded
(HTTP or a browser), access (auth, proxy, robots.txt obeyed or ignored), the
session (login steps, what they take, never values), discovery rules and page
kinds, the pagination strategy and its stop rules, follow-ups, the ceilings
(limits), the pages per run (from --manifest, else the recording), the chain depth against
Lambda's 16-invocation recursion limit, the request rate the source can see
(max concurrency x per-invocation rate), the queue and function settings
(batch size, batching window, concurrency, visibility timeout), the schedule,
the S3 keys, and the project's peak concurrency: the most invocations the
scheduled collectors of collectors/ can ask for at once, against the account's
limit (concurrency in collect.config.yaml).

Options:
  --var NAME=VALUE   set a variable for the seed URLs (repeatable)
  --manifest PATH    _manifest.json of a run, for the pages per run
  --config FILE      project config (default collect.config.yaml)
  --env NAME         environment of the project config
  --format text|markdown|json

Example:
  collect explain collectors/books-toscrape.yaml
  collect explain collectors/*.yaml --format markdown >> "$GITHUB_STEP_SUMMARY"`;

export const explainCommand: Command = {
  name: 'explain',
  summary: 'explain in words and numbers what a collector will do (pages, chain depth, rate, queue, S3 keys)',
  usage,
  async run(argv: string[], io: CliIO): Promise<number> {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        var: { type: 'string', multiple: true },
        manifest: { type: 'string' },
        config: { type: 'string' },
        env: { type: 'string' },
        format: { type: 'string', default: 'text' },
      },
    });
    if (positionals.length === 0) throw new UsageError('give at least one collector file');
    const format = outputFormat(values.format, ['text', 'markdown', 'json']);
    const vars = parseVars(values.var ?? []);
    const settings = await functionSettings(values.config ? io.cwd : projectRoot(io.cwd), values.config, values.env);
    const manifest = values.manifest ? { file: values.manifest, sample: await readManifest(resolve(io.cwd, values.manifest)) } : undefined;
    const explanations: Explanation[] = [];
    const explained: ResolvedCollector[] = [];
    for (const file of positionals) {
      const { collector, file: shown } = await loadCollectorFile(file, io.cwd);
      explained.push(collector);
      checkVars(vars, collector);
      const seeds = planSeeds(collector, { runId: manualRunId(), overrides: vars }).map((t) => t.url);
      const recording = await readRecordingInfo(shown, io.cwd);
      const meta = recording?.har.log._collect;
      const volume = estimateVolume({
        collector,
        seeds: seeds.length,
        ...(manifest ? { manifest } : {}),
        ...(recording && meta ? { recording: { file: recording.harFile, summary: meta.summary } } : {}),
      });
      explanations.push(
        explainCollector({
          collector,
          seeds,
          settings,
          volume,
          ...(recording && meta
            ? {
                recording: {
                  file: recording.harFile,
                  summary: meta.summary,
                  ...(meta.limit !== undefined ? { limit: meta.limit } : {}),
                  ...(meta.maxPages !== undefined ? { maxPages: meta.maxPages } : {}),
                },
              }
            : {}),
        }),
      );
    }
    const configCwd = values.config ? io.cwd : projectRoot(io.cwd);
    const project = await projectConcurrency(projectPath(io.cwd, 'collectors'), explained, configCwd, values.config, values.env);
    for (const e of explanations) e.concurrency = project.linesFor(e.collector);
    if (format === 'json') io.stdout.write(`${JSON.stringify(explanations.length === 1 ? explanations[0] : explanations, null, 2)}\n`);
    else io.stdout.write(explanations.map((e) => formatExplanation(e, format === 'markdown')).join('\n'));
    return 0;
  },
};
