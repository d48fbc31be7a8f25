// The runs a local folder holds, in the output layout (runtime/core/output/layout.ts):
// `<root>/dt=YYYY-MM-DD/run=<runId>/` with its parts and, once it ended, its manifest.
import type { Dirent } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { MANIFEST_FILE } from '../../core/output/layout.ts';

export interface RunFolder {
  dt: string;
  runId: string;
  dir: string;
  parts: string[];
  /** The manifest's path, when the run has ended. */
  manifest?: string;
}

const PART = /^part-.+\.jsonl\.gz$/;

/** Every run under `root`, oldest first (run ids sort by time). */
export async function runFolders(root: string): Promise<RunFolder[]> {
  const runs: RunFolder[] = [];
  for (const day of await entries(root)) {
    if (!day.isDirectory() || !day.name.startsWith('dt=')) continue;
    const dayDir = join(root, day.name);
    for (const run of await entries(dayDir)) {
      if (!run.isDirectory() || !run.name.startsWith('run=')) continue;
      const dir = join(dayDir, run.name);
      const files = await entries(dir);
      const parts = files.filter((f) => f.isFile() && PART.test(f.name)).map((f) => join(dir, f.name));
      const manifest = files.some((f) => f.isFile() && f.name === MANIFEST_FILE) ? join(dir, MANIFEST_FILE) : undefined;
      runs.push({ dt: day.name.slice(3), runId: run.name.slice(4), dir, parts: parts.sort(), ...(manifest ? { manifest } : {}) });
    }
  }
  return runs.sort((a, b) => (a.runId < b.runId ? -1 : a.runId > b.runId ? 1 : 0));
}

async function entries(dir: string): Promise<Dirent[]> {
  try {
    return await readdir(dir, { withFileTypes: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}
