// Remembers each collector's last local run, so `--resume` finds it whatever
// templates its output prefix uses, plans it again with the same clock, and
// knows which version of the collector started it.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface RunIndexEntry {
  runId: string;
  output: string;
  complete: boolean;
  /** When the run was planned: date variables are computed from it again on a resume. */
  plannedAt: string;
  /** The collector file's hash: a resume of an edited collector is refused unless forced. */
  specHash: string;
  /** The `--var` values of the run. */
  vars: Record<string, string>;
}

function indexPath(outDir: string, collector: string): string {
  return join(outDir, '.collect', 'runs', `${collector}.json`);
}

export function readRunIndex(outDir: string, collector: string): RunIndexEntry | undefined {
  const path = indexPath(outDir, collector);
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as RunIndexEntry) : undefined;
}

export function writeRunIndex(outDir: string, collector: string, entry: RunIndexEntry): void {
  const path = indexPath(outDir, collector);
  mkdirSync(join(outDir, '.collect', 'runs'), { recursive: true });
  // Written aside and renamed, so a kill mid-write leaves the old entry, never half of one.
  writeFileSync(`${path}.tmp`, JSON.stringify(entry, null, 2));
  renameSync(`${path}.tmp`, path);
}
