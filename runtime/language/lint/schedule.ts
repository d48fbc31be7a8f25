import type { Collector } from '../generated/collector.types.ts';
import type { Issue } from '../issue.ts';
import { checkS3Uri } from './s3-uri.ts';
import { checkScheduleExpression } from './scheduler-expression.ts';
import { checkTimeZone } from './timezone.ts';

/** Where and when a collector runs on AWS: the schedule and the output location. */
export function lintDeployment(c: Collector): Issue[] {
  const issues: Issue[] = [];
  if (c.schedule) {
    const expr = checkScheduleExpression(c.schedule.expression);
    if (expr) issues.push({ path: ['schedule', 'expression'], ...expr });
    if (c.schedule.timezone !== undefined) {
      const tz = checkTimeZone(c.schedule.timezone);
      if (tz) issues.push({ path: ['schedule', 'timezone'], ...tz });
    }
  }
  const out = checkS3Uri(c.output);
  if (out) issues.push({ path: ['output'], ...out });
  return issues;
}
