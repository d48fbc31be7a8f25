import { describe, expect, it } from 'vitest';
import { runsPerMonth, scheduleFrequency, valueSet } from '../../runtime/language/schedule.ts';

// An average month is 365.25 / 12 = 30.4375 days.
describe('runs per month of a schedule expression', () => {
  it.each([
    ['cron(0 6 * * ? *)', 30.4375],
    ['rate(1 day)', 30.4375],
    ['rate(15 minutes)', 2922],
    ['rate(1 hour)', 730.5],
    ['rate(2 hours)', 365.25],
    ['rate(7 days)', 30.4375 / 7],
    ['cron(0/15 * * * ? *)', 2922],
    ['cron(0 8,20 * * ? *)', 60.875],
    ['cron(30 9-17 * * ? *)', 30.4375 * 9],
    ['cron(0 0 1 * ? *)', 1],
    ['cron(0 0 L * ? *)', 1],
    ['cron(0 0 15W * ? *)', 1],
    ['cron(0 12 ? * 2#1 *)', 1],
    ['cron(0 12 ? * FRIL *)', 1],
    ['cron(0 0 1 JAN,JUL ? *)', 2 / 12],
    ['cron(0 0 29 2 ? *)', 1 / 48],
    // 2024-01-01 is a Monday: four years hold 1,045 weekdays.
    ['cron(0 9 ? * MON-FRI *)', 1045 / 48],
    ['cron(0 9 ? * SAT-SUN *)', (1461 - 1045) / 48],
    ['at(2030-01-01T09:00:00)', 0],
  ])('%s runs %d times a month', (expression, expected) => {
    expect(runsPerMonth(expression)).toBeCloseTo(expected, 9);
  });

  it('describes the schedule in words', () => {
    expect(scheduleFrequency('cron(0 6 * * ? *)').description).toBe('every day at 06:00');
    expect(scheduleFrequency('rate(15 minutes)').description).toBe('every 15 minutes');
    expect(scheduleFrequency('rate(1 day)').description).toBe('every day');
  });

  it('expands cron fields: steps, ranges that wrap, names', () => {
    expect([...valueSet('0/20', 0, 59)]).toEqual([0, 20, 40]);
    expect([...valueSet('FRI-MON', 1, 7, ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'])].sort()).toEqual([1, 2, 6, 7]);
    expect(valueSet('*', 1, 12).size).toBe(12);
  });

  it('refuses what is not an expression', () => {
    expect(() => runsPerMonth('daily')).toThrow(/not a schedule expression/);
  });
});
