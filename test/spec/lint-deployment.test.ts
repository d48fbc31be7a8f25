import { describe, expect, it } from 'vitest';
import { checkBucket, checkS3Uri } from '../../runtime/language/lint/s3-uri.ts';
import { checkScheduleExpression } from '../../runtime/language/lint/scheduler-expression.ts';
import { checkTimeZone } from '../../runtime/language/lint/timezone.ts';
import { check, doc, docWith } from './helpers.ts';

describe('EventBridge Scheduler expressions', () => {
  it.each([
    'cron(0 6 * * ? *)',
    'cron(0/15 * ? * MON-FRI *)',
    'cron(15 10 ? * 6L 2022-2030)',
    'cron(0 8 1,15 * ? *)',
    'cron(0 12 L * ? *)',
    'cron(0 12 LW * ? *)',
    'cron(0 12 15W * ? *)',
    'cron(0 9 ? JAN-MAR,DEC 2#1 *)',
    'cron(0 9 ? * tue#3 *)',
    'cron(5,35 14 ? * L *)',
    'cron(*/5 8-17 ? * 2-6 *)',
    'rate(1 minute)',
    'rate(5 minutes)',
    'rate(1 hour)',
    'rate(12 hours)',
    'rate(1 day)',
    'rate(7 days)',
    'at(2030-01-31T09:30:00)',
  ])('accepts %s', (expression) => {
    expect(checkScheduleExpression(expression)).toBeUndefined();
  });

  it.each([
    [
      'cron(0 6 * * *)',
      'cron(0 6 * * *) has 5 fields; EventBridge needs 6: minutes hours day-of-month month day-of-week year',
      'add a year, e.g. cron(0 6 * * ? *)',
    ],
    ['cron(0 6 1 * MON *)', 'cron: one of day-of-month and day-of-week must be "?"', 'e.g. cron(0 6 1 * ? *)'],
    ['cron(0 6 ? * ? *)', 'cron: only one of day-of-month and day-of-week may be "?"', 'e.g. cron(0 6 * * ? *)'],
    ['cron(60 6 * * ? *)', 'cron minutes "60": 60 is out of range 0-59', undefined],
    ['cron(0 24 * * ? *)', 'cron hours "24": 24 is out of range 0-23', undefined],
    ['cron(0 6 32 * ? *)', 'cron day-of-month "32": 32 is out of range 1-31', undefined],
    ['cron(0 6 ? 13 MON *)', 'cron month "13": 13 is out of range 1-12 (or JAN-DEC)', undefined],
    ['cron(0 6 ? * 0 *)', 'cron day-of-week "0": 0 is out of range 1-7 (or SUN-SAT)', undefined],
    ['cron(0 6 ? * FUN *)', 'cron day-of-week "FUN": "FUN" is not a value', '1-7 or SUN, MON, TUE, WED, THU, FRI, SAT'],
    [
      'cron(0 6 ? JANUARY * *)',
      'cron month "JANUARY": "JANUARY" is not a value',
      '1-12 or JAN, FEB, MAR, APR, MAY, JUN, JUL, AUG, SEP, OCT, NOV, DEC',
    ],
    ['cron(0 6 ? * MON#6 *)', 'cron day-of-week "MON#6": the week of the month after # must be 1-5, got 6', undefined],
    ['cron(? 6 * * ? *)', 'cron minutes "?": "?" is allowed only in day-of-month or day-of-week', undefined],
    ['cron(0 6 1,L * ? *)', 'cron day-of-month "1,L": "L" cannot be part of a list, range or step', undefined],
    ['cron(0/0 6 * * ? *)', 'cron minutes "0/0": the step 0 is out of range 1-59', undefined],
    ['cron(0 6 * * ? 1969)', 'cron year "1969": 1969 is out of range 1970-2199', undefined],
    ['cron(0 6 * * ? 2030-2020)', 'cron year "2030-2020": the range runs backwards', 'write the earlier year first'],
    ['cron(0,,5 6 * * ? *)', 'cron minutes "0,,5": empty item in the list', undefined],
    ['rate(1 minutes)', 'rate(1 minutes): use the singular for 1', 'rate(1 minute)'],
    ['rate(5 minute)', 'rate(5 minute): use the plural for 5', 'rate(5 minutes)'],
    ['rate(0 hours)', 'rate(0 hours): the value must be at least 1', undefined],
    ['rate(1 week)', 'rate(1 week) is not a rate', 'write rate(N minutes|hours|days), e.g. rate(5 minutes), rate(1 hour)'],
    [
      'at(2030-02-30T09:00:00)',
      'at(2030-02-30T09:00:00) is not a date and time',
      'write at(yyyy-mm-ddThh:mm:ss), e.g. at(2030-01-01T09:00:00)',
    ],
    ['at(2030-01-01 09:00)', 'at(2030-01-01 09:00) is not a date and time', 'write at(yyyy-mm-ddThh:mm:ss), e.g. at(2030-01-01T09:00:00)'],
    ['daily', '"daily" is not a schedule expression', 'e.g. cron(0 6 * * ? *), rate(1 day), at(2030-01-01T09:00:00)'],
    [' rate(1 day)', 'the schedule expression has spaces around it', 'remove them'],
  ])('refuses %s', (expression, message, hint) => {
    expect(checkScheduleExpression(expression)).toEqual(hint === undefined ? { message } : { message, hint });
  });

  it('are reported at the expression', () => {
    expect(check(doc('schedule:', '  expression: cron(0 6 * * *)'))).toEqual([
      'collectors/t.yaml:12:15 error schedule.expression: cron(0 6 * * *) has 5 fields; EventBridge needs 6: minutes hours day-of-month month day-of-week year (add a year, e.g. cron(0 6 * * ? *))',
    ]);
  });
});

describe('time zones', () => {
  it('accept IANA names', () => {
    for (const zone of ['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'Etc/GMT+5', 'America/Argentina/Buenos_Aires'])
      expect(checkTimeZone(zone)).toBeUndefined();
  });

  it('refuse unknown names, offsets and other spellings', () => {
    expect(checkTimeZone('Europe/Berlinn')).toEqual({
      message: '"Europe/Berlinn" is not an IANA time zone',
      hint: 'did you mean "Europe/Berlin"?',
    });
    expect(checkTimeZone('europe/berlin')).toEqual({
      message: '"europe/berlin" is not an IANA time zone',
      hint: 'did you mean "Europe/Berlin"?',
    });
    expect(checkTimeZone('+01:00')?.message).toBe('"+01:00" is not an IANA time zone');
    expect(checkTimeZone('Nowhere/Atlantis')).toEqual({
      message: '"Nowhere/Atlantis" is not an IANA time zone',
      hint: 'e.g. UTC, Europe/Berlin, America/New_York',
    });
  });

  it('are reported at the schedule time zone', () => {
    expect(check(doc('schedule:', '  expression: cron(0 6 * * ? *)', '  timezone: Europe/Berlinn'))).toEqual([
      'collectors/t.yaml:13:13 error schedule.timezone: "Europe/Berlinn" is not an IANA time zone (did you mean "Europe/Berlin"?)',
    ]);
    expect(check(doc('schedule:', '  expression: cron(0 6 * * ? *)', '  timezone: Europe/Berlin'))).toEqual([]);
  });
});

describe('S3 output locations', () => {
  it('accept buckets and prefixes, templated parts included', () => {
    for (const uri of [
      's3://my-bucket',
      's3://my-bucket/raw',
      's3://my.bucket-1/raw/{{ name }}/x',
      's3://{{ env }}-lake/raw',
      's3://abc/a_b',
    ])
      expect(checkS3Uri(uri)).toBeUndefined();
  });

  it.each([
    ['s3:///raw', 'the S3 URI has no bucket', 'write s3://bucket/prefix'],
    ['s3://My-Bucket/raw', 'bucket name "My-Bucket" must be lower case', 's3://my-bucket'],
    ['s3://my_bucket/raw', 'bucket name "my_bucket" may contain only lower-case letters, digits, dots and hyphens', undefined],
    ['s3://ab/raw', 'bucket name "ab" is 2 characters long; bucket names have 3 to 63 characters', undefined],
    [`s3://${'a'.repeat(64)}`, `bucket name "${'a'.repeat(64)}" is 64 characters long; bucket names have 3 to 63 characters`, undefined],
    ['s3://-bucket/raw', 'bucket name "-bucket" must start and end with a letter or digit', undefined],
    ['s3://my..bucket/raw', 'bucket name "my..bucket" must not contain two adjacent dots', undefined],
    ['s3://192.168.1.10/raw', 'bucket name "192.168.1.10" must not look like an IP address', undefined],
    ['s3://xn--bucket/raw', 'bucket name "xn--bucket" uses "xn--", which AWS reserves', undefined],
    ['s3://bucket-s3alias/raw', 'bucket name "bucket-s3alias" uses "-s3alias", which AWS reserves', undefined],
    ['s3://{{ env }}_lake/raw', 'bucket name "{{ env }}_lake" may contain only lower-case letters, digits, dots and hyphens', undefined],
    ['s3://bucket//raw', 'the prefix starts with "/", which makes an empty first segment in every key', 'write s3://bucket/raw'],
    ['s3://bucket/raw//x', 'the prefix contains "//", an empty segment in every key', 'write s3://bucket/raw/x'],
    ['s3://bucket/raw?x=1', 'an S3 URI has no query or fragment ("?" or "#")', 'write s3://bucket/prefix'],
    ['s3://bucket/ra w', 'the S3 URI contains white space', 'remove it'],
    [
      's3://bucket/{{ date }}/x',
      'the prefix starts with a template; on AWS the function may write only below fixed text',
      'start it with fixed text, e.g. s3://bucket/raw/{{ date }}/x',
    ],
  ])('refuse %s', (uri, message, hint) => {
    expect(checkS3Uri(uri)).toEqual(hint === undefined ? { message } : { message, hint });
  });

  it('accept a prefix that starts with the collector name', () => {
    expect(checkS3Uri('s3://bucket/{{ name }}/{{ date }}')).toBeUndefined();
  });

  it('warn about a trailing slash', () => {
    expect(checkS3Uri('s3://bucket/raw/')).toEqual({
      message: 'the prefix ends with "/"; keys are already joined with "/"',
      hint: 'write s3://bucket/raw',
      severity: 'warning',
    });
    expect(check(docWith({ 8: 'output: s3://bucket-a/raw/' }))).toEqual([
      'collectors/t.yaml:8:9 warning output: the prefix ends with "/"; keys are already joined with "/" (write s3://bucket-a/raw)',
    ]);
  });

  it('are reported at the output', () => {
    expect(check(docWith({ 8: 'output: s3://My_Bucket/raw' }))).toEqual([
      'collectors/t.yaml:8:9 error output: bucket name "My_Bucket" may contain only lower-case letters, digits, dots and hyphens',
    ]);
    expect(checkBucket('bucket-a')).toBeUndefined();
  });
});
