// Local sink: the S3 layout under a folder (`<out>/<bucket>/<prefix>/...`).
// A part streams through gzip into a temporary file and is renamed into place
// on commit, so a crash never leaves a half-written part under its real name.
import { createWriteStream, mkdirSync } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { createGzip } from 'node:zlib';
import { finished } from 'node:stream/promises';
import type { DataRecord } from '../core/extract/types.ts';
import type { PartWriter, RunLocation, Sink } from '../core/engine/ports.ts';
import { partName, runBucket, runPrefix } from '../core/output/layout.ts';
import { LineBatch } from './line-batch.ts';

export class FolderSink implements Sink {
  constructor(readonly root: string) {}

  runDir(run: RunLocation): string {
    return join(this.root, runBucket(run), runPrefix(run));
  }

  openPart(run: RunLocation, taskId: string): PartWriter {
    const dir = this.runDir(run);
    mkdirSync(dir, { recursive: true });
    const final = join(dir, partName(taskId));
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

  async putRunFile(run: RunLocation, name: string, body: string): Promise<string> {
    const path = join(this.runDir(run), name);
    mkdirSync(dirname(path), { recursive: true });
    await writeFile(`${path}.tmp`, body);
    await rename(`${path}.tmp`, path);
    return path;
  }
}
