// Local sink: the S3 layout under a folder (`<out>/<bucket>/<prefix>/...`).
// A part streams through gzip into a temporary file and is renamed into place
// on commit, so a crash never leaves a half-written part under its real name.
// Nothing is written outside the folder: a key with a ".." segment (or any
// other trick layout.ts refuses) or a path that resolves elsewhere is refused.
import { createWriteStream, mkdirSync } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { createGzip } from 'node:zlib';
import { finished } from 'node:stream/promises';
import type { DataRecord } from '../core/extract/types.ts';
import type { PartWriter, RunLocation, Sink } from '../core/engine/ports.ts';
import { assertSafeKey, partName, runBucket, runPrefix, UnsafeOutputError } from '../core/output/layout.ts';
import { LineBatch } from './line-batch.ts';

export class FolderSink implements Sink {
  constructor(readonly root: string) {}

  runDir(run: RunLocation): string {
    const bucket = runBucket(run);
    const prefix = runPrefix(run);
    assertSafeKey(bucket, prefix);
    return this.#inside(join(this.root, bucket, prefix));
  }

  openPart(run: RunLocation, taskId: string): PartWriter {
    const dir = this.runDir(run);
    const final = this.#file(run, dir, partName(taskId));
    mkdirSync(dir, { recursive: true });
    const temp = `${final}.${process.pid}.tmp`;
    const gzip = createGzip({ level: 6 });
    const file = createWriteStream(temp);
    gzip.pipe(file);
    const lines = new LineBatch((chunk) => gzip.write(chunk));
    let open = true;
    return {
      write(record: DataRecord) {
        lines.add(JSON.stringify(record));
      },
      async commit() {
        open = false;
        lines.drain();
        gzip.end();
        await finished(file);
        await rename(temp, final);
        return final;
      },
      async abort() {
        if (open) {
          open = false;
          lines.clear();
          gzip.destroy();
          file.destroy();
        }
        await rm(temp, { force: true });
      },
    };
  }

  /** A file of the run: its name checked like a key, its path under the run's folder. */
  #file(run: RunLocation, dir: string, name: string): string {
    assertSafeKey(runBucket(run), `${runPrefix(run)}/${name}`);
    return this.#inside(join(dir, name));
  }

  /** The path, when it resolves to somewhere below the root; refused otherwise. */
  #inside(path: string): string {
    const root = resolve(this.root);
    const rel = relative(root, resolve(path));
    if (rel === '' || isAbsolute(rel) || rel.split(sep)[0] === '..') {
      throw new UnsafeOutputError(`refused to write ${path}: it is not below the output folder ${root}`);
    }
    return path;
  }

  async putRunFile(run: RunLocation, name: string, body: string): Promise<string> {
    const path = this.#file(run, this.runDir(run), name);
    mkdirSync(dirname(path), { recursive: true });
    await writeFile(`${path}.tmp`, body);
    await rename(`${path}.tmp`, path);
    return path;
  }
}
