// Run ids sort by time and name the run's S3 folder (`run=<id>`). A scheduled run's
// id is derived from its scheduled time, so a retried invocation is the same run.
import { randomBytes } from 'node:crypto';

function compact(date: Date): string {
  return date
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '');
}

export function scheduledRunId(scheduledTime: string): string {
  const date = new Date(scheduledTime);
  if (Number.isNaN(date.getTime())) throw new Error(`scheduledTime "${scheduledTime}" is not a date`);
  return compact(date);
}

export function manualRunId(now: Date = new Date()): string {
  return `${compact(now)}-${randomBytes(3).toString('hex')}`;
}

/** The `dt=` partition of a run: the UTC date its id starts with. */
export function runDate(runId: string): string {
  const m = /^(\d{4})(\d{2})(\d{2})T/.exec(runId);
  if (!m) throw new Error(`run id "${runId}" does not start with a date`);
  return `${m[1]}-${m[2]}-${m[3]}`;
}

export function isRunId(value: string): boolean {
  return /^\d{8}T\d{6}Z(-[0-9a-f]{6})?$/.test(value);
}
