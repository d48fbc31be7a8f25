// `collect test`: replay every collector's recording with no network and
// compare its records with the expected ones.
import { parseArgs } from 'node:util';
import { formatTestResult, testCollector, type CollectorTestResult } from '../../review/collector-test.ts';
import { formatText, hasErrors } from '../../../language/diagnostic.ts';
import { loadCollectors } from '../../../language/load.ts';
import type { CliIO, Command } from '../command.ts';
import { projectPath } from '../project.ts';

const usage = `Usage: collect test [paths...] [--update] [--require-recordings]

Replays each collector's recording (collectors/NAME.har, made by collect record)
with no network and compares the records with collectors/NAME.expected.jsonl,
field by field. A request that is not in the recording fails with its URL and
the command that re-records it. The collector's expect block is checked too
(minRecords only when the recording was not cut short by --limit/--max-pages),
and the fill rate of every field is shown.

Fields taken from \`context: runId\` or \`context: taskId\` differ on every run; they
are written and compared as "<runId>" and "<taskId>". \`context: fetchedAt\` is
the recorded time, so it compares as it is.

A collector without a recording (no NAME.har beside NAME.yaml) is listed as
"no recording" with the command that makes one, and does not fail the command,
whether it was found in a directory or named as a path; --require-recordings
makes it a failure (for CI, where every collector must come with a recording).

Arguments:
  paths                  collector files or directories; default collectors/

Options:
  --update               rewrite the expected records with what the replay produces
  --require-recordings   fail when a collector has no recording

Exit status: 0 when every collector with a recording passes (and, with
--require-recordings, every collector has one); 1 otherwise, or when no
collector file was found; 2 for a usage error.

Example:
  collect test
  collect test --require-recordings
  collect test collectors/books-toscrape.yaml --update`;

export interface TestRunOptions {
  /** Rewrite the expected records with what the replay produces. */
  update?: boolean;
  /** A collector without a recording fails the run instead of being listed and skipped. */
  requireRecordings?: boolean;
}

export interface TestRunSummary {
  /** Every loaded collector, those without a recording as `unrecorded`. */
  results: CollectorTestResult[];
  /** Files that could not be loaded (their diagnostics were printed). */
  invalidFiles: number;
  ok: boolean;
}

/** The command's work, for `npm test` and other callers that want the results. */
export async function runCollectorTests(paths: readonly string[], io: CliIO, options: TestRunOptions = {}): Promise<TestRunSummary> {
  const { update = false, requireRecordings = false } = options;
  const { loaded, diagnostics, files } = await loadCollectors(paths.length > 0 ? paths : [projectPath(io.cwd, 'collectors')], io.cwd);
  // Warnings are `collect validate`'s business; here only what stops a file from loading.
  if (hasErrors(diagnostics)) io.stderr.write(formatText(diagnostics.filter((d) => d.severity === 'error')));
  const results: CollectorTestResult[] = [];
  for (const l of loaded) {
    const result = await testCollector({ loaded: l, cwd: io.cwd, env: io.env, update });
    io.stdout.write(formatTestResult(result, { requireRecordings }));
    results.push(result);
  }
  const invalidFiles = files.length - loaded.length;
  const failed = results.filter((r) => r.status === 'failed').length;
  const unrecorded = results.filter((r) => r.status === 'unrecorded').length;
  const passed = results.length - failed - unrecorded;
  const counts = [`${passed} ${update ? 'updated' : 'passed'}`, `${failed} failed`];
  if (unrecorded) counts.push(`${unrecorded} without recording${requireRecordings ? ' (failed: --require-recordings)' : ''}`);
  if (invalidFiles) counts.push(`${invalidFiles} invalid`);
  io.stdout.write(`\n${results.length} collector${results.length === 1 ? '' : 's'}: ${counts.join(', ')}\n`);
  // No collector at all is a mistake in the paths; collectors that are all unrecorded are not.
  const ok = failed === 0 && invalidFiles === 0 && !hasErrors(diagnostics) && results.length > 0 && !(requireRecordings && unrecorded > 0);
  return { results, invalidFiles, ok };
}

export const testCommand: Command = {
  name: 'test',
  summary: 'replay recorded HTTP exchanges offline and compare the records with the expected ones',
  usage,
  async run(argv: string[], io: CliIO): Promise<number> {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        update: { type: 'boolean', default: false },
        'require-recordings': { type: 'boolean', default: false },
      },
    });
    const summary = await runCollectorTests(positionals, io, { update: values.update, requireRecordings: values['require-recordings'] });
    return summary.ok ? 0 : 1;
  },
};
