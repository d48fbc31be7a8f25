import { describe, expect, it } from 'vitest';
import type { CollectorPlan } from '../../deploy/generate/collector-plan.ts';
import {
  PROJECT_OWN,
  RUN_MINUTES,
  WINDOW_MINUTES,
  concurrencyPeak,
  concurrencyWarnings,
  occupiedWindows,
  scheduleOf,
} from '../../deploy/generate/concurrency.ts';
import { resolveCollector } from '../../runtime/language/resolve.ts';
import { collector } from './helpers.ts';

type Plan = Pick<CollectorPlan, 'name' | 'schedule' | 'scaling'>;

function plan(name: string, maxConcurrency: number, expression?: string, more: Partial<NonNullable<Plan['schedule']>> = {}): Plan {
  return {
    name,
    scaling: { batchSize: 5, batchingWindowSeconds: 0, maxConcurrency },
    ...(expression ? { schedule: { expression, timezone: 'UTC', flexibleWindowMinutes: 0, enabled: true, ...more } } : {}),
  };
}

/** The windows a plan occupies, as "Day HH:MM" of their start, in UTC. */
function windows(p: Plan): string[] {
  const w = occupiedWindows(p)!;
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const out: string[] = [];
  w.forEach((on, i) => {
    if (!on) return;
    const minute = i * WINDOW_MINUTES;
    out.push(
      `${days[Math.floor(minute / 1440)]} ${String(Math.floor((minute % 1440) / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`,
    );
  });
  return out;
}

describe('the concurrency model', () => {
  it('lets a daily cron run occupy the hour after its start, every day', () => {
    const daily = windows(plan('a', 2, 'cron(0 6 * * ? *)'));
    expect(RUN_MINUTES).toBe(60);
    expect(daily).toHaveLength(7 * 4);
    expect(daily.filter((w) => w.startsWith('Mon'))).toEqual(['Mon 06:00', 'Mon 06:15', 'Mon 06:30', 'Mon 06:45']);
  });

  it('counts a time zone with both its winter and its summer offset, and the flexible window on top', () => {
    const london = windows(plan('a', 2, 'cron(0 6 * * ? *)', { timezone: 'Europe/London', flexibleWindowMinutes: 30 }));
    // 06:00 London is 06:00 UTC in winter and 05:00 UTC in summer; the run may start 30 minutes late.
    expect(london.filter((w) => w.startsWith('Tue'))).toEqual([
      'Tue 05:00',
      'Tue 05:15',
      'Tue 05:30',
      'Tue 05:45',
      'Tue 06:00',
      'Tue 06:15',
      'Tue 06:30',
      'Tue 06:45',
      'Tue 07:00',
      'Tue 07:15',
    ]);
  });

  it('keeps a weekday cron off the weekend, and counts rate() schedules everywhere', () => {
    const weekdays = windows(plan('a', 2, 'cron(30 22 ? * MON-FRI *)'));
    expect(weekdays.some((w) => w.startsWith('Sat 22') || w.startsWith('Sun 22'))).toBe(false);
    // A run at 22:30 on Friday reaches 23:29.
    expect(weekdays.filter((w) => w.startsWith('Fri'))).toEqual(['Fri 22:30', 'Fri 22:45', 'Fri 23:00', 'Fri 23:15']);
    expect(windows(plan('b', 2, 'rate(1 day)'))).toHaveLength(7 * 24 * 4);
  });

  it('adds up the collectors whose runs can overlap, and leaves out those on demand or disabled', () => {
    const peak = concurrencyPeak([
      plan('morning-a', 10, 'cron(0 6 * * ? *)'),
      plan('morning-b', 5, 'cron(20 6 * * ? *)'),
      plan('evening', 50, 'cron(0 18 ? * SAT *)'),
      plan('hourly', 3, 'rate(1 hour)'),
      plan('manual', 500),
      plan('off', 500, 'rate(5 minutes)', { enabled: false }),
    ]);
    expect(peak).toEqual({
      peak: 50 + 3 + PROJECT_OWN,
      window: 'Sat 18:00-18:15 UTC',
      collectors: [
        { name: 'evening', maxConcurrency: 50 },
        { name: 'hourly', maxConcurrency: 3 },
      ],
      scheduled: 4,
      onDemand: 2,
    });
    // Without the Saturday one, the two morning runs overlap from 06:20 to 07:00.
    const morning = concurrencyPeak([plan('morning-a', 10, 'cron(0 6 * * ? *)'), plan('morning-b', 5, 'cron(20 6 * * ? *)')]);
    expect(morning).toMatchObject({ peak: 15 + PROJECT_OWN, window: 'Sun 06:15-06:30 UTC' });
    expect(concurrencyPeak([])).toEqual({ peak: PROJECT_OWN, collectors: [], scheduled: 0, onDemand: 0 });
  });

  it('reads a resolved collector', () => {
    const c = resolveCollector(collector('x', { schedule: { expression: 'cron(0 6 * * ? *)' }, scaling: { maxConcurrency: 9 } }));
    expect(scheduleOf(c)).toEqual({
      name: 'x',
      scaling: { batchSize: 5, batchingWindowSeconds: 0, maxConcurrency: 9 },
      schedule: { expression: 'cron(0 6 * * ? *)', timezone: 'UTC', flexibleWindowMinutes: 0, enabled: true },
    });
    expect(scheduleOf(resolveCollector(collector('y')))).not.toHaveProperty('schedule');
  });

  it('warns when the peak can pass the reserved concurrency or the account limit', () => {
    const peak = concurrencyPeak([plan('big', 600, 'rate(1 hour)'), plan('also-big', 500, 'cron(0 6 * * ? *)')]);
    expect(peak.peak).toBe(1100 + PROJECT_OWN);
    expect(concurrencyWarnings(peak, { concurrency: { accountLimit: 5000 } }, 'dev')).toEqual([]);
    const warnings = concurrencyWarnings(peak, { concurrency: { accountLimit: 1000, reserved: 950 } }, 'prod');
    expect(warnings).toHaveLength(3);
    expect(warnings[0]).toMatch(
      /^environment "prod": 2 collectors whose runs can overlap \(\w+ 06:00-06:15 UTC; largest: big 600, also-big 500\) may ask for 1103 invocations at once, more than the function's reserved concurrency of 950/,
    );
    expect(warnings[1]).toMatch(/more than the account's concurrency limit of 1000, which every function of the account shares/);
    expect(warnings[2]).toMatch(/concurrency.reserved 950 leaves less than the 100 AWS keeps unreserved/);
  });
});
