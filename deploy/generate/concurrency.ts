// How many invocations the collectors can ask for at once. Lambda's concurrency
// is one pool per account and region (1,000 by default), shared with every other
// function; each collector's event source mapping may take up to its
// `scaling.maxConcurrency` of it while its run lasts. So the peak is the largest
// sum of maxConcurrency over collectors whose runs can overlap.
//
// The overlap model, simple on purpose and on the safe side:
// - the week is cut into 15-minute windows, in UTC;
// - a cron schedule fires at its minutes and hours on its days of the week (in
//   its time zone, with both its winter and its summer offset); a day-of-month
//   rule may fall on any day of the week;
// - a run occupies the windows from its start to RUN_MINUTES later, plus its
//   flexible window (Scheduler may start it that much later);
// - a rate() schedule counts in every window: it fires relative to when the
//   schedule was created, which the generator cannot know;
// - an at() schedule occupies the windows of its one start;
// - collectors without a schedule, or with a disabled one, run only on demand
//   and are not counted: a manual run adds its maxConcurrency on top;
// - the project's own invocations add PROJECT_OWN: the dead-letter queue's
//   mapping (at most 2) and the stall sweep (1).
import { DateTime } from 'luxon';
import type { ProjectSettings } from '../config/project-config.ts';
import type { ResolvedCollector as Collector } from '../../runtime/language/generated/resolved.types.ts';
import { valueSet } from '../../runtime/language/schedule.ts';
import type { CollectorPlan } from './collector-plan.ts';

export const WINDOW_MINUTES = 15;
/** How long a run is assumed to take: a run of the examples takes a few minutes, a large crawl up to an hour. */
export const RUN_MINUTES = 60;
/** The dead-letter queue's mapping (maximum concurrency 2, deploy/terraform/dead-letters.tf) and the stall sweep. */
export const PROJECT_OWN = 3;
/** AWS keeps this much of the account's concurrency unreserved. */
const UNRESERVED_MINIMUM = 100;

const MINUTES_PER_WEEK = 7 * 24 * 60;
const WINDOWS = MINUTES_PER_WEEK / WINDOW_MINUTES;
const WEEKDAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

export interface ConcurrencyPeak {
  /** The largest sum of maxConcurrency in one window, the project's own invocations included. */
  peak: number;
  /** The first window where it is reached, e.g. "Mon 06:00-06:15 UTC"; undefined when nothing is scheduled. */
  window?: string;
  /** The collectors whose runs can be in that window, largest first. */
  collectors: { name: string; maxConcurrency: number }[];
  /** Scheduled collectors counted, and those left out (on demand or disabled). */
  scheduled: number;
  onDemand: number;
}

/** Which 15-minute windows of the week a collector's runs can occupy; undefined for none (on demand). */
export function occupiedWindows(plan: Pick<CollectorPlan, 'schedule'>): Uint8Array | undefined {
  const s = plan.schedule;
  if (!s?.enabled) return undefined;
  const windows = new Uint8Array(WINDOWS);
  const m = /^(cron|rate|at)\((.*)\)$/s.exec(s.expression.trim());
  if (!m || m[1] === 'rate') return windows.fill(1);
  const offsets = utcOffsets(s.timezone);
  const length = RUN_MINUTES + s.flexibleWindowMinutes;
  const mark = (localMinuteOfWeek: number): void => {
    for (const offset of offsets) {
      const start = localMinuteOfWeek - offset;
      for (let t = start; t < start + length; t += WINDOW_MINUTES) windows[windowOf(t)] = 1;
      windows[windowOf(start + length - 1)] = 1;
    }
  };
  if (m[1] === 'at') {
    const at = DateTime.fromISO(m[2]!.trim(), { zone: 'UTC' });
    if (!at.isValid) return windows.fill(1);
    mark(((at.weekday % 7) * 24 + at.hour) * 60 + at.minute);
    return windows;
  }
  const fields = m[2]!.trim().split(/\s+/);
  if (fields.length !== 6) return windows.fill(1);
  const [min, hour, , , dow] = fields as [string, string, string, string, string];
  const minutes = valueSet(min, 0, 59);
  const hours = valueSet(hour, 0, 23);
  const days = weekdays(dow);
  for (const day of days) for (const h of hours) for (const minute of minutes) mark((day * 24 + h) * 60 + minute);
  return windows;
}

/** The peak of the collectors' maxConcurrency over the week's windows. */
export function concurrencyPeak(plans: readonly Pick<CollectorPlan, 'name' | 'schedule' | 'scaling'>[]): ConcurrencyPeak {
  const totals = new Float64Array(WINDOWS);
  const occupied: [Pick<CollectorPlan, 'name' | 'scaling'>, Uint8Array][] = [];
  let onDemand = 0;
  for (const plan of plans) {
    const windows = occupiedWindows(plan);
    if (!windows) {
      onDemand++;
      continue;
    }
    occupied.push([plan, windows]);
    for (let w = 0; w < WINDOWS; w++) if (windows[w]) totals[w]! += plan.scaling.maxConcurrency;
  }
  let best = 0;
  for (let w = 1; w < WINDOWS; w++) if (totals[w]! > totals[best]!) best = w;
  const collectors = occupied
    .filter(([, windows]) => windows[best])
    .map(([p]) => ({ name: p.name, maxConcurrency: p.scaling.maxConcurrency }))
    .sort((a, b) => b.maxConcurrency - a.maxConcurrency || (a.name < b.name ? -1 : 1));
  return {
    peak: totals[best]! + PROJECT_OWN,
    ...(occupied.length > 0 ? { window: windowLabel(best) } : {}),
    collectors,
    scheduled: occupied.length,
    onDemand,
  };
}

/** Warnings for one environment: the peak against its reserved concurrency and the account's limit. */
export function concurrencyWarnings(peak: ConcurrencyPeak, settings: Pick<ProjectSettings, 'concurrency'>, environment: string): string[] {
  const { accountLimit, reserved } = settings.concurrency;
  const warnings: string[] = [];
  const why = `${peak.collectors.length} collectors whose runs can overlap (${peak.window}; largest: ${peak.collectors
    .slice(0, 3)
    .map((c) => `${c.name} ${c.maxConcurrency}`)
    .join(', ')}) may ask for ${peak.peak} invocations at once`;
  if (reserved !== undefined && peak.peak > reserved) {
    warnings.push(
      `environment "${environment}": ${why}, more than the function's reserved concurrency of ${reserved}; ` +
        'their batches are throttled and retried by SQS (slower, not lost): raise concurrency.reserved, lower scaling.maxConcurrency or move schedules apart',
    );
  }
  if (peak.peak > accountLimit) {
    warnings.push(
      `environment "${environment}": ${why}, more than the account's concurrency limit of ${accountLimit}, which every function of the account shares; ` +
        'ask AWS for a higher limit (Service Quotas) and set concurrency.accountLimit, lower scaling.maxConcurrency, or move schedules apart',
    );
  }
  if (reserved !== undefined && reserved > accountLimit - UNRESERVED_MINIMUM) {
    warnings.push(
      `environment "${environment}": concurrency.reserved ${reserved} leaves less than the ${UNRESERVED_MINIMUM} AWS keeps unreserved of the account's ${accountLimit}; Lambda will refuse it`,
    );
  }
  return warnings;
}

/** Sunday is 0, as cron's 1 is Sunday. `?` and day-of-month rules may fall on any day. */
function weekdays(dow: string): number[] {
  if (dow === '?' || dow === '*' || dow === 'L') return dow === 'L' ? [6] : [0, 1, 2, 3, 4, 5, 6];
  const single = /^([A-Za-z]{3}|\d)(?:L|#\d)$/.exec(dow);
  const values = valueSet(single ? single[1]! : dow, 1, 7, WEEKDAYS);
  return [...values].map((v) => v - 1);
}

/** The time zone's offsets from UTC in minutes, in winter and in summer (one value where it has no daylight saving). */
function utcOffsets(timezone: string): number[] {
  const offsets = [1, 7].map((month) => DateTime.fromObject({ year: 2025, month, day: 15 }, { zone: timezone }).offset);
  return [...new Set(offsets.filter((o) => Number.isFinite(o)))];
}

function windowOf(minuteOfWeek: number): number {
  const t = ((minuteOfWeek % MINUTES_PER_WEEK) + MINUTES_PER_WEEK) % MINUTES_PER_WEEK;
  return Math.floor(t / WINDOW_MINUTES);
}

function windowLabel(w: number): string {
  const start = w * WINDOW_MINUTES;
  const day = WEEKDAYS[Math.floor(start / 1440)]!;
  const time = (minute: number) => `${String(Math.floor((minute % 1440) / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
  return `${day[0]}${day.slice(1).toLowerCase()} ${time(start)}-${time(start + WINDOW_MINUTES)} UTC`;
}

/** What the model needs of a resolved collector, without the rest of its plan (`collect explain` of one file). */
export function scheduleOf(collector: Collector): Pick<CollectorPlan, 'name' | 'schedule' | 'scaling'> {
  const { name, schedule, scaling } = collector;
  return {
    name,
    scaling: { batchSize: scaling.batchSize, batchingWindowSeconds: scaling.batchingWindowSeconds, maxConcurrency: scaling.maxConcurrency },
    ...(schedule
      ? {
          schedule: {
            expression: schedule.expression,
            timezone: schedule.timezone,
            flexibleWindowMinutes: schedule.flexibleWindowMinutes,
            enabled: schedule.enabled,
          },
        }
      : {}),
  };
}
