// Recordings live beside their collector: collectors/NAME.yaml has
// collectors/NAME.har (the HTTP exchanges) and collectors/NAME.expected.jsonl
// (the records a replay must produce). One glance at the folder shows which
// collectors are covered, and a pull request changes them together.
import { relative } from 'node:path';

export interface RecordingPaths {
  har: string;
  expected: string;
}

export function recordingPaths(collectorFile: string): RecordingPaths {
  const stem = collectorFile.replace(/\.ya?ml$/i, '');
  return { har: `${stem}.har`, expected: `${stem}.expected.jsonl` };
}

/** A path as the user would type it from `cwd`. */
export function displayPath(file: string, cwd: string): string {
  const rel = relative(cwd, file);
  return rel && !rel.startsWith('..') ? rel : file;
}
