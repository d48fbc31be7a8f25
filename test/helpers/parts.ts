// Reads what a local run wrote: every committed part under a folder.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

export function findFiles(dir: string, pattern: RegExp): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...findFiles(path, pattern));
    else if (pattern.test(name)) out.push(path);
  }
  return out.sort();
}

export function readParts(dir: string): Record<string, unknown>[] {
  return findFiles(dir, /^part-[0-9a-f]+\.jsonl\.gz$/).flatMap((f) =>
    gunzipSync(readFileSync(f))
      .toString('utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown>),
  );
}

/** Every failure in the run error reports (`_errors/<taskId>.json`) under a folder. */
export function readFailures(dir: string): Record<string, unknown>[] {
  return findFiles(dir, /\.json$/)
    .filter((f) => /[\\/]_errors[\\/][^\\/]+\.json$/.test(f))
    .flatMap((f) => (JSON.parse(readFileSync(f, 'utf8')) as { failures: Record<string, unknown>[] }).failures);
}
