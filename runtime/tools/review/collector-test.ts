// `collect test` for one collector: replay its recording with no network, check
// the records against the expected JSON Lines and the collector's expect block.
import { access } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { DataRecord } from '../../core/extract/types.ts';
import { compareRecords, formatComparison, type Comparison } from './compare.ts';
import { completeFillRates } from './fields.ts';
import { maskRecords, readExpected, writeExpected } from './expected-records.ts';
import { readHar } from './har.ts';
import { displayPath, recordingPaths } from './paths.ts';
import { replayRun, type LoadedCollector, type ReplayResult } from './session.ts';

export interface CollectorTestOptions {
  loaded: LoadedCollector;
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  /** Rewrite the expected records with what the replay produced. */
  update?: boolean;
}

/**
 * `unrecorded`: there is no recording to replay. Whether that fails the run is
 * the caller's choice (`collect test --require-recordings`), not a fact of the collector.
 */
type TestStatus = 'passed' | 'failed' | 'updated' | 'unrecorded';

export interface CollectorTestResult {
  name: string;
  file: string;
  status: TestStatus;
  /** Why it failed, one message each; the diff is separate. */
  problems: string[];
  comparison?: Comparison;
  /** The formatted field-by-field diff, when records differ. */
  diff?: string;
  notes: string[];
  replay?: ReplayResult;
  records?: DataRecord[];
  /** Per declared field, the share of replayed records in which it is filled. */
  fillRates?: Record<string, number>;
  harFile: string;
  expectedFile: string;
}

export async function testCollector(options: CollectorTestOptions): Promise<CollectorTestResult> {
  const { loaded, cwd } = options;
  const abs = resolve(cwd, loaded.file);
  const paths = recordingPaths(abs);
  const harFile = displayPath(paths.har, cwd);
  const expectedFile = displayPath(paths.expected, cwd);
  const collectorFile = displayPath(abs, cwd);
  const result: CollectorTestResult = {
    name: loaded.collector.name,
    file: collectorFile,
    status: 'failed',
    problems: [],
    notes: [],
    harFile,
    expectedFile,
  };

  if (!(await exists(paths.har))) return { ...result, status: 'unrecorded' };
  const har = await readHar(paths.har);
  const replay = await replayRun({ loaded, har, harFile, collectorFile, env: options.env });
  result.replay = replay;
  result.fillRates = completeFillRates(loaded.collector, replay.run.manifest.fillRates);
  if (har.log._collect && har.log._collect.specHash !== loaded.hash)
    result.notes.push(`${collectorFile} changed since it was recorded; if a request is missing, re-record it`);

  const missed = new Set<string>();
  for (const miss of replay.misses) {
    if (missed.has(miss.message)) continue;
    missed.add(miss.message);
    result.problems.push(`RequestNotRecordedError: ${miss.message}`);
  }
  for (const f of replay.run.failures) {
    if (f.error === 'RequestNotRecordedError') continue;
    result.problems.push(`page failed: ${f.url}: ${f.message}`);
  }
  for (const p of replay.run.expectations.problems) result.problems.push(`expect: ${p}`);

  const actual = maskRecords(replay.records, loaded.collector);
  result.records = actual;
  if (options.update) {
    if (replay.misses.length > 0) {
      result.problems.push(`${expectedFile} was not rewritten: the replay needs requests that are not recorded`);
      return result;
    }
    await writeExpected(paths.expected, actual);
    result.notes.push(`wrote ${actual.length} records to ${expectedFile}`);
    result.status = result.problems.length === 0 ? 'updated' : 'failed';
    return result;
  }

  const expected = await readExpected(paths.expected);
  if (!expected) {
    result.problems.push(`no expected records: ${expectedFile} does not exist; write it with collect test ${collectorFile} --update`);
    return result;
  }
  const comparison = compareRecords(expected, actual, loaded.collector.records?.dedupeKey);
  result.comparison = comparison;
  if (!comparison.equal) {
    result.diff = formatComparison(comparison, { expectedFile });
    result.problems.push(`records differ from ${expectedFile} (run collect test ${collectorFile} --update to accept the new records)`);
  }
  result.status = result.problems.length === 0 ? 'passed' : 'failed';
  return result;
}

export interface TestFormatOptions {
  /** A collector without a recording is a failure (✗) rather than a skip (-). */
  requireRecordings?: boolean;
}

/** The report of one collector, for the terminal. */
export function formatTestResult(r: CollectorTestResult, o: TestFormatOptions = {}): string {
  if (r.status === 'unrecorded')
    return `${o.requireRecordings ? '✗' : '-'} ${r.name}: no recording (record one with: npx collect record ${r.file} --max-pages 2)\n`;
  const lines: string[] = [];
  const replay = r.replay;
  const timing = replay ? ` (${replay.replayed} requests replayed, ${(replay.wallMs / 1000).toFixed(2)} s)` : '';
  if (r.status === 'passed') lines.push(`✓ ${r.name}: ${r.comparison?.actual ?? 0} records match ${r.expectedFile}${timing}`);
  else if (r.status === 'updated') lines.push(`✓ ${r.name}: updated${timing}`);
  else lines.push(`✗ ${r.name}: ${r.file}${timing}`);
  for (const p of r.problems) lines.push(`    ${p}`);
  if (r.diff)
    lines.push(
      ...r.diff
        .trimEnd()
        .split('\n')
        .map((l) => `    ${l}`),
    );
  for (const n of r.notes) lines.push(`    note: ${n}`);
  if (r.fillRates && replay && replay.run.manifest.records > 0) lines.push(`    fill rates: ${formatFillRates(r.fillRates)}`);
  return `${lines.join('\n')}\n`;
}

function formatFillRates(rates: Record<string, number>): string {
  return Object.entries(rates)
    .map(([field, rate]) => `${field} ${(rate * 100).toFixed(rate === 1 || rate === 0 ? 0 : 1)}%${rate === 0 ? ' ∅' : ''}`)
    .join(', ');
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}
