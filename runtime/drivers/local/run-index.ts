// Remembers each collector's last local run, so `--resume` finds it whatever
// templates its output prefix uses.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface RunIndexEntry {
  runId: string;
  output: string;
  complete: boolean;
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
  writeFileSync(path, JSON.stringify(entry, null, 2));
}
