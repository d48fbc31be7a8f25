// Local incremental state: one JSON file per key under the output folder.
// The version is the file's content hash, checked before a write, which is enough
// for one process; the S3 store does real conditional writes.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { StateEntry, StateStore } from '../core/engine/ports.ts';
import { sha256Hex } from '../core/hash.ts';

export class FileStateStore implements StateStore {
  /** Puts one at a time: the tasks of a run raise a mark concurrently, and a check-then-write must not interleave. */
  private turn: Promise<unknown> = Promise.resolve();

  constructor(private readonly dir: string) {}

  private path(key: string): string {
    return join(this.dir, `${key.replace(/[^A-Za-z0-9._-]/g, '_')}.json`);
  }

  async get(key: string): Promise<StateEntry | undefined> {
    try {
      const value = await readFile(this.path(key), 'utf8');
      return { value, version: sha256Hex(value) };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }

  put(key: string, value: string, expectedVersion: string | undefined): Promise<boolean> {
    const done = this.turn.then(() => this.putNow(key, value, expectedVersion));
    this.turn = done.catch(() => undefined);
    return done;
  }

  private async putNow(key: string, value: string, expectedVersion: string | undefined): Promise<boolean> {
    const current = await this.get(key);
    if (current?.version !== expectedVersion) return false;
    const path = this.path(key);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(`${path}.tmp`, value);
    await rename(`${path}.tmp`, path);
    return true;
  }
}
