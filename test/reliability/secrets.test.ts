// A collector with `${env:SECRET_TOKEN}` in a header and in a query parameter,
// with failing pages so that error reports exist, run locally, recorded as a
// HAR and run by the Lambda handler on moto: the secret appears nowhere, in no
// form. The scenario lives in secrets.ts (figures.ts runs it too).
import { beforeAll, describe, expect, it } from 'vitest';
import { SecretResolver } from '../../runtime/core/secrets.ts';
import { leaks, runSecrets, SECRET, type SecretsReport } from './secrets.ts';

let report: SecretsReport;
beforeAll(async () => {
  report = await runSecrets();
});

describe('secrets never leave the request', () => {
  it('looks everywhere it should', () => {
    expect(report.cases.map((c) => c.name)).toEqual([
      'collect run: summary on stdout and stderr',
      'collect run: manifest, _errors/, parts, checkpoint, run index',
      'collect record: HAR file',
      'collect record: run result and failures',
      'Lambda: logs at DEBUG (stdout and stderr)',
      'Lambda: SQS message bodies',
      'Lambda: S3 objects (parts and error reports)',
      'Lambda: S3 object metadata',
    ]);
    expect(report.searched).toBeGreaterThan(30);
  });

  it.each(['collect run', 'collect record', 'Lambda'])('%s: the secret appears in no output, in no encoding', (prefix) => {
    const cases = report.cases.filter((c) => c.name.startsWith(prefix));
    expect(cases.length).toBeGreaterThan(0);
    for (const c of cases) expect(c.problems, c.name).toEqual([]);
  });

  it('redacts the percent-encoded and form-encoded forms a query string gives a secret', async () => {
    const resolver = new SecretResolver({ SECRET_TOKEN: SECRET });
    const url = new URL('http://example.test/list');
    url.searchParams.set('token', await resolver.resolve('${env:SECRET_TOKEN}'));
    const message = `HTTP 404 from ${url.href}; path ${encodeURIComponent(SECRET)}; raw ${SECRET}`;
    expect(leaks(message).length).toBeGreaterThan(0);
    const redacted = resolver.redact(message);
    expect(leaks(redacted)).toEqual([]);
    expect(redacted).toBe('HTTP 404 from http://example.test/list?token=[REDACTED]; path [REDACTED]; raw [REDACTED]');
  });
});
