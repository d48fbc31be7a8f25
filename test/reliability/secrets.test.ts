// A collector with `${env:SECRET_TOKEN}` in a header and in a query parameter,
// against a site that echoes it back (in a field, a self link and its next
// link), with failing pages so that error reports exist, run locally, tried,
// explained, recorded and run by the Lambda handler on moto: the secret appears
// nowhere, in no form (raw, URL- and form-encoded, base64, fragments). The scenario lives in secrets.ts (figures.ts runs it too).
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
      'collect try: the page, its records, detail pages and the next page it prints',
      'collect explain',
      'collect record: secrets.har and secrets.expected.jsonl, and what it prints',
      'collect record: HAR file',
      'collect record: run result and failures',
      'Lambda: logs at DEBUG (stdout and stderr)',
      'Lambda: SQS message bodies',
      'Lambda: S3 objects (parts and error reports)',
      'Lambda: S3 object metadata',
    ]);
    expect(report.searched).toBeGreaterThan(30);
  });

  it.each(['collect run', 'collect try', 'collect explain', 'collect record', 'Lambda'])(
    '%s: the secret appears in no output, in no encoding',
    (prefix) => {
      const cases = report.cases.filter((c) => c.name.startsWith(prefix));
      expect(cases.length).toBeGreaterThan(0);
      for (const c of cases) expect(c.problems, c.name).toEqual([]);
    },
  );

  it('redacts the percent-encoded and form-encoded forms a query string gives a secret', async () => {
    const resolver = new SecretResolver({ SECRET_TOKEN: SECRET });
    const url = new URL('http://example.test/list');
    url.searchParams.set('token', await resolver.expand('${env:SECRET_TOKEN}', {}));
    const message = `HTTP 404 from ${url.href}; path ${encodeURIComponent(SECRET)}; raw ${SECRET}`;
    expect(leaks(message).length).toBeGreaterThan(0);
    const redacted = resolver.redact(message);
    expect(leaks(redacted)).toEqual([]);
    expect(redacted).toBe('HTTP 404 from http://example.test/list?token=[REDACTED]; path [REDACTED]; raw [REDACTED]');
  });

  it('knows the base64 forms a Basic header or an encoded echo gives a secret', async () => {
    const resolver = new SecretResolver({ SECRET_TOKEN: SECRET });
    await resolver.expand('${env:SECRET_TOKEN}', {});
    const b64 = Buffer.from(SECRET).toString('base64');
    const urlSafe = b64.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    expect(resolver.redact(`echo=${b64}; cursor=${urlSafe}`)).toBe('echo=[REDACTED]; cursor=[REDACTED]');
  });
});
