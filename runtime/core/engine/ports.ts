// The engine's ports. Local and Lambda drivers choose the implementations;
// the engine never imports the AWS SDK or the file system for these.
import type { DataRecord } from '../extract/types.ts';
import type { Task } from './task.ts';
import type { TaskStats } from './stats.ts';

/** Records of one task, written as one object; visible only after `commit`. */
export interface PartWriter {
  write(record: DataRecord): void;
  /** Makes the part durable (rename, PUT) with its stats attached; returns the object key or path. */
  commit(stats: TaskStats): Promise<string>;
  /** Drops what was written; nothing becomes visible. */
  abort(): Promise<void>;
}

export interface RunLocation {
  collector: string;
  runId: string;
  /** Rendered `output`: `s3://bucket/prefix`. */
  output: string;
}

export interface Sink {
  openPart(run: RunLocation, taskId: string): PartWriter;
  /** Whether the task's part was committed already (by an earlier delivery of the same task). */
  hasPart?(run: RunLocation, taskId: string): Promise<boolean>;
  /** Writes a run-level JSON document (`_manifest.json`, `_errors.json`). */
  putRunFile(run: RunLocation, name: string, body: string): Promise<string>;
}

/** Follow-up work that leaves the current task: fan-out pages and continuations. */
export interface TaskQueue {
  send(tasks: Task[]): Promise<void>;
}

export interface StateEntry {
  value: string;
  /** Opaque version for compare-and-swap (ETag, mtime). */
  version?: string;
}

/** Incremental cursors. `put` with a version fails (returns false) when another writer got there first. */
export interface StateStore {
  get(key: string): Promise<StateEntry | undefined>;
  put(key: string, value: string, expectedVersion: string | undefined): Promise<boolean>;
}

/** Log lines never carry record contents; keys are ids and counts. */
export interface EngineLogger {
  debug(message: string, extra?: Record<string, unknown>): void;
  info(message: string, extra?: Record<string, unknown>): void;
  warn(message: string, extra?: Record<string, unknown>): void;
  error(message: string, extra?: Record<string, unknown>): void;
}

export const silentLogger: EngineLogger = { debug() {}, info() {}, warn() {}, error() {} };
