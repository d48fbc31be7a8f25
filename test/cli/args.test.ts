import { describe, expect, it } from 'vitest';
import type { Collector } from '../../runtime/language/generated/collector.types.ts';
import { checkVars } from '../../runtime/tools/cli/args.ts';
import { UsageError } from '../../runtime/tools/cli/command.ts';

const collector: Collector = {
  name: 'c',
  variables: { day: '2024-01-01', path: 'books', q: 'x', base: 'https://example.com' },
  start: { urls: ['{{ base }}/catalogue/{{ path }}?q={{ q }}'] },
  extract: { fields: { a: 'h1' } },
  output: 's3://lake/raw/{{ day }}',
};

describe('checkVars', () => {
  it('accepts plain values, "/" between segments, and anything in the origin or the query', () => {
    expect(() =>
      checkVars({ day: '2024/05/01', path: 'fiction/page-2', q: '../../etc?#', base: 'http://127.0.0.1:8080/mirror/..' }, collector),
    ).not.toThrow();
  });

  it.each([
    ['day', '../../../../escaped', 'the value "../../../../escaped" of "day" (used in the output location) has a ".." segment'],
    ['day', 'a/./b', 'has a "." segment'],
    ['day', '/etc/cron.d', 'starts with "/", an absolute path'],
    ['day', '..\\..\\x', 'contains a backslash'],
    ['day', 'x\ny', 'contains the control character U+000A'],
    ['path', '../admin', '(used in a start URL path) has a ".." segment, which moves the request to another path of the site'],
    ['path', '%2e%2e/admin', 'has a "%2e%2e" segment'],
    ['path', 'books?admin=1', 'contains "?", which ends the URL\'s path'],
    ['path', 'a\\b', 'contains a backslash, which URLs read as "/"'],
  ])('refuses --var %s=%j', (name, value, message) => {
    const attempt = () => checkVars({ [name]: value }, collector);
    expect(attempt).toThrow(UsageError);
    expect(attempt).toThrow(`--var ${name}: `);
    expect(attempt).toThrow(message);
  });

  it('still names an unknown variable first', () => {
    expect(() => checkVars({ dya: '../x' }, collector)).toThrow('--var dya: c has no variable "dya" (did you mean "day"?)');
  });
});
