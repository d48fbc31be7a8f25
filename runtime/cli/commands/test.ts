// `collect test`: replay every collector's recording with no network and
// compare its records with the expected ones.
import { parseArgs } from 'node:util';
import { formatTestResult, testCollector, type CollectorTestResult } from '../../review/collector-test.ts';
import { formatText, hasErrors } from '../../spec/diagnostic.ts';
import { loadCollectors } from '../../spec/load.ts';
import type { CliIO, Command } from '../command.ts';

const usage = `Usage: collect test [paths...] [--update]

Replays each collector's recording (collectors/NAME.har, made by collect record)
with no network and compares the records with collectors/NAME.expected.jsonl,
field by field. A request that is not in the recording fails with its URL and
the command that re-records it. The collector's expect block is checked too
(minRecords only when the recording was not cut short by --limit/--max-pages),
and the fill rate of every field is shown.

Fields taken from \`context: runId\` or \`context: taskId\` differ on every run; they
are written and compared as "<runId>" and "<taskId>". \`context: fetchedAt\` is
the recorded time, so it compares as it is.

Arguments:
  paths        collector files or directories; default collectors/

Options:
  --update     rewrite the expected records with what the replay produces

Exit status: 0 when every collector passes; 1 otherwise; 2 for a usage error.

Example:
  collect test
  collect test collectors/books-toscrape.yaml --update`;

export interface TestRunSummary {
  results: CollectorTestResult[];
  /** Files that could not be loaded (their diagnostics were printed). */
  invalidFiles: number;
  ok: boolean;
}

/** The command's work, for `npm test` and other callers that want the results. */
export async function runCollectorTests(paths: readonly string[], io: CliIO, update = false): Promise<TestRunSummary> {
  const { loaded, diagnostics, files } = await loadCollectors(paths.length > 0 ? paths : ['collectors'], io.cwd);
  // Warnings are `collect validate`'s business; here only what stops a file from loading.
  if (hasErrors(diagnostics)) io.stderr.write(formatText(diagnostics.filter((d) => d.severity === 'error')));
  const results: CollectorTestResult[] = [];
  for (const l of loaded) {
    const result = await testCollector({ loaded: l, cwd: io.cwd, env: io.env, update });
    io.stdout.write(formatTestResult(result));
    results.push(result);
  }
  const invalidFiles = files.length - loaded.length;
  const failed = results.filter((r) => r.status === 'failed').length;
  const passed = results.length - failed;
  io.stdout.write(`\n${results.length} collector${results.length === 1 ? '' : 's'}: ${passed} ${update ? 'updated' : 'passed'}, ${failed} failed${invalidFiles ? `, ${invalidFiles} invalid` : ''}\n`);
  const ok = failed === 0 && invalidFiles === 0 && !hasErrors(diagnostics) && results.length > 0;
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
      options: { update: { type: 'boolean', default: false } },
    });
    const summary = await runCollectorTests(positionals, io, values.update);
    return summary.ok ? 0 : 1;
  },
};
