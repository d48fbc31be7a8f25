// In-memory sink for tests and `--stdout`: parts become visible on commit only.
import type { DataRecord } from '../core/extract/types.ts';
import type { PartWriter, RunLocation, Sink } from '../core/engine/ports.ts';
import type { TaskStats } from '../core/engine/stats.ts';
import { partKey, runPrefix } from '../core/output/layout.ts';

export class MemorySink implements Sink {
  readonly parts = new Map<string, { records: DataRecord[]; stats: TaskStats }>();
  readonly files = new Map<string, string>();

  constructor(private readonly onCommit?: (records: DataRecord[]) => void) {}

  openPart(run: RunLocation, taskId: string): PartWriter {
    const key = partKey(run, taskId);
    let records: DataRecord[] = [];
    return {
      write: (record) => void records.push(record),
      commit: async (stats) => {
        this.parts.set(key, { records, stats });
        this.onCommit?.(records);
        return key;
      },
      abort: async () => {
        records = [];
      },
    };
  }

  async putRunFile(run: RunLocation, name: string, body: string): Promise<string> {
    const key = `${runPrefix(run)}/${name}`;
    this.files.set(key, body);
    return key;
  }

  records(): DataRecord[] {
    return [...this.parts.values()].flatMap((p) => p.records);
  }
}
