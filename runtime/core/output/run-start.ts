// `_run.json`: written when a run starts (by the scheduled start on AWS, by the
// CLI locally), so a run that never finishes still says what it was.
import type { RunLocation, Sink } from '../engine/ports.ts';
import { RUN_START_FILE } from './layout.ts';

export interface RunStartFile {
  v: 1;
  collector: string;
  runId: string;
  specHash: string;
  scheduledTime: string | null;
  seeds: number;
  startedAt: string;
}

export function putRunStart(sink: Sink, run: RunLocation, start: RunStartFile): Promise<string> {
  return sink.putRunFile(run, RUN_START_FILE, `${JSON.stringify(start)}\n`);
}
