// The expected records of a collector: JSON Lines, one record per line, in the
// order the replay produces them. A replay is deterministic except for the run
// id and the task ids derived from it, so fields taken from `context: runId`
// or `context: taskId` are written and compared as "<runId>" / "<taskId>".
// `context: fetchedAt` needs no such care: the replay hands back the recorded time.
import { readFile, writeFile } from 'node:fs/promises';
import type { DataRecord, RecordValue } from '../../core/extract/types.ts';
import type { Collector, Field, Follow } from '../../language/generated/collector.types.ts';

const VARYING = new Set(['runId', 'taskId']);

/** The fields (nested paths) whose value differs on every run, with their placeholder. */
function varyingFields(collector: Collector): { path: string[]; placeholder: string }[] {
  const out: { path: string[]; placeholder: string }[] = [];
  const walk = (fields: Record<string, Field>, prefix: string[]): void => {
    for (const [name, field] of Object.entries(fields)) {
      if (typeof field === 'string') continue;
      if (field.context && VARYING.has(field.context)) out.push({ path: [...prefix, name], placeholder: `<${field.context}>` });
      if (field.fields) walk(field.fields, [...prefix, name]);
    }
  };
  for (const kind of [collector, ...Object.values(collector.pages ?? {})]) {
    walk(kind.extract?.fields ?? {}, []);
    for (let f: Follow | undefined = kind.follow; f; f = f.follow) walk(f.extract.fields, []);
  }
  return out;
}

export function maskRecords(records: readonly DataRecord[], collector: Collector): DataRecord[] {
  const fields = varyingFields(collector);
  if (fields.length === 0) return [...records];
  return records.map((r) => {
    let out: RecordValue = structuredClone(r);
    for (const { path, placeholder } of fields) out = maskAt(out, path, placeholder);
    return out as DataRecord;
  });
}

function maskAt(value: RecordValue, path: string[], placeholder: string): RecordValue {
  if (Array.isArray(value)) return value.map((v) => maskAt(v, path, placeholder));
  if (value === null || typeof value !== 'object' || path.length === 0) return value;
  const [head, ...rest] = path as [string, ...string[]];
  if (!(head in value)) return value;
  const inner = value[head]!;
  value[head] = rest.length === 0 ? (inner === null ? null : placeholder) : maskAt(inner, rest, placeholder);
  return value;
}

class ExpectedFileError extends Error {
  override readonly name = 'ExpectedFileError';
}

/** Undefined when the file does not exist. */
export async function readExpected(file: string): Promise<DataRecord[] | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  const records: DataRecord[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (err) {
      throw new ExpectedFileError(`${file}:${i + 1}: not JSON: ${(err as Error).message}`);
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value))
      throw new ExpectedFileError(`${file}:${i + 1}: a record must be a JSON object`);
    records.push(value as DataRecord);
  }
  return records;
}

export async function writeExpected(file: string, records: readonly DataRecord[]): Promise<void> {
  await writeFile(file, records.map((r) => JSON.stringify(r)).join('\n') + (records.length ? '\n' : ''));
}
