// `collect run --stdout`: records go to standard output as JSON Lines, each
// task's records together once the task commits; run files still go to the folder.
import type { Writable } from 'node:stream';
import type { DataRecord } from '../core/extract/types.ts';
import type { PartWriter, RunLocation, Sink } from '../core/engine/ports.ts';
import { partKey } from '../core/output/layout.ts';

export class StdoutSink implements Sink {
  constructor(
    private readonly out: Writable,
    private readonly files: Sink,
  ) {}

  openPart(run: RunLocation, taskId: string): PartWriter {
    let lines: string[] = [];
    return {
      write: (record: DataRecord) => void lines.push(JSON.stringify(record)),
      commit: async () => {
        if (lines.length) this.out.write(`${lines.join('\n')}\n`);
        lines = [];
        return partKey(run, taskId);
      },
      abort: async () => {
        lines = [];
      },
    };
  }

  putRunFile(run: RunLocation, name: string, body: string): Promise<string> {
    return this.files.putRunFile(run, name, body);
  }
}
