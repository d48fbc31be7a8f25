// Brings the generated files on disk in line with what the generator returns, or
// only reports the difference (`--check`). A generated file whose collector or
// environment is gone counts as stale too: it would keep dead resources alive.
import type { Dirent } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ENVIRONMENTS_DIR, GENERATED_DIR } from './names.ts';

/** Directories (under the Terraform root) that hold only generated files. */
const MANAGED_DIRS = [GENERATED_DIR, ENVIRONMENTS_DIR];
const MANAGED_FILE = /\.(tf|tf\.json|tfvars|tfbackend)$/;

export interface Drift {
  /** On disk with other contents. */
  changed: string[];
  /** Not on disk yet. */
  missing: string[];
  /** On disk but no longer generated. */
  extra: string[];
}

export function isClean(drift: Drift): boolean {
  return drift.changed.length === 0 && drift.missing.length === 0 && drift.extra.length === 0;
}

/** Paths are relative to `root` (deploy/terraform). */
export async function compareGenerated(root: string, files: ReadonlyMap<string, string>): Promise<Drift> {
  const drift: Drift = { changed: [], missing: [], extra: [] };
  for (const [name, text] of files) {
    const current = await readIfExists(join(root, name));
    if (current === undefined) drift.missing.push(name);
    else if (current !== text) drift.changed.push(name);
  }
  for (const name of await managedFiles(root)) if (!files.has(name)) drift.extra.push(name);
  return drift;
}

/** Writes what differs and deletes what is no longer generated; returns what it did. */
export async function writeGenerated(root: string, files: ReadonlyMap<string, string>): Promise<Drift> {
  const drift = await compareGenerated(root, files);
  for (const name of [...drift.missing, ...drift.changed]) {
    const path = join(root, name);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, files.get(name)!);
  }
  for (const name of drift.extra) await rm(join(root, name));
  return drift;
}

async function managedFiles(root: string): Promise<string[]> {
  const out: string[] = [];
  for (const dir of MANAGED_DIRS) {
    let entries: Dirent[];
    try {
      entries = await readdir(join(root, dir), { withFileTypes: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw err;
    }
    for (const e of entries) if (e.isFile() && MANAGED_FILE.test(e.name)) out.push(`${dir}/${e.name}`);
  }
  return out.sort();
}

async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}
