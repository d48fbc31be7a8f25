// The review commands on a collector behind a login: `explain` shows the steps
// and the expiry rule (no value), `try` logs in and names what it took, and a
// recording made with `record` replays offline with `test`, holding no
// password, CSRF token or session cookie.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Har } from '../../runtime/tools/review/har.ts';
import { startLoginSite, type LoginSite } from '../helpers/login-site.ts';
import { projectWith } from './cli.ts';
import { credentials, MEMBERS_YAML } from './collectors.ts';

let site: LoginSite | undefined;
afterEach(async () => {
  await site?.close();
  site = undefined;
});

describe('collect explain', () => {
  it('shows the cookies, each login step by the names of what it sends and takes, and the expiry rule', async () => {
    const project = projectWith('members', MEMBERS_YAML);
    const { code, stdout } = await project.run(['explain', project.file]);
    expect(code).toBe(0);
    const section = stdout.slice(stdout.indexOf('Session (cookies and login)'));
    expect(section.split('\n').slice(0, 6)).toEqual([
      'Session (cookies and login)',
      '  cookies: kept for the run (per collector and run in each Lambda invocation) and sent to the hosts that set them',
      '  login: 2 steps before the first page; locally once a run, on AWS at most once per invocation for each run it works on',
      '    1. GET https://members.example.com/login; takes csrf (attribute value of input[name=csrf])',
      '    2. POST https://members.example.com/login; sends form fields csrf, username, password; takes nothing (its cookies stay in the jar)',
      '  expired when: a redirect to a URL matching /login. Then the login runs again, once for all pages that saw it, and the page is fetched again; a session that expires again before any page loads with it fails the page (SessionExpiredError) and stops further logins',
    ]);
  });
});

describe('collect try', () => {
  it('logs in, says so with the names it took, and shows the protected page', async () => {
    site = await startLoginSite({ items: 8, perPage: 5 });
    const project = projectWith('members', MEMBERS_YAML);
    const { code, stdout } = await project.run(
      ['try', project.file, '--var', `base_url=${site.url}`, '--allow-private-network'],
      credentials(site),
    );
    expect(code).toBe(0);
    const lines = stdout.split('\n');
    expect(lines[0]).toBe('logged in (2 steps), took csrf');
    expect(lines[1]).toMatch(/^GET http:\/\/127\.0\.0\.1:\d+\/items\?page=1 → 200, \d+ bytes, \d+ ms, html$/);
    expect(stdout).toContain('5 records');
    expect(stdout).toContain('"Item 1"');
    expect(site.logins()).toBe(1);
    for (const s of [...site.issuedSecrets(), site.password]) expect(stdout).not.toContain(s);
  });

  it('shows a failed login as the page error', async () => {
    site = await startLoginSite({ items: 8, perPage: 5 });
    const project = projectWith('members', MEMBERS_YAML);
    const { stdout } = await project.run(
      ['try', project.file, '--var', `base_url=${site.url}`, '--allow-private-network'],
      credentials(site, 'wrong'),
    );
    expect(stdout.split('\n')[0]).toMatch(
      /^GET http:\/\/127\.0\.0\.1:\d+\/items\?page=1 → LoginError: login step 2 \(POST http:\/\/127\.0\.0\.1:\d+\/login\) answered HTTP 401; check the credentials \(\d+ ms\)$/,
    );
  });
});

describe('collect record, then collect test offline', () => {
  it('replays the login and the expired sessions from the recording, which holds no secret', async () => {
    site = await startLoginSite({ items: 12, perPage: 5, expireAfter: 7 });
    const project = projectWith('members', MEMBERS_YAML);
    const recorded = await project.run(
      ['record', project.file, '--var', `base_url=${site.url}`, '--allow-private-network'],
      credentials(site),
    );
    expect(recorded.stdout).toMatch(/the run wrote 12 records/);
    expect(recorded.code).toBe(0);
    const logins = site.logins();
    expect(logins).toBeGreaterThanOrEqual(2); // 15 protected pages, 7 a session: the recording holds a new login
    const harText = readFileSync(join(project.dir, 'collectors/members.har'), 'utf8');
    const secrets = [...site.issuedSecrets(), site.password];
    expect(secrets.length).toBeGreaterThanOrEqual(2 * logins);
    for (const s of secrets) expect(harText, 'the recording holds a secret').not.toContain(s);
    const har = JSON.parse(harText) as Har;
    const logIns = har.log.entries.filter((e) => e.request.method === 'POST');
    expect(logIns).toHaveLength(logins);
    expect(logIns[0]!.request.postData?.text).toBe('csrf=[REDACTED]&username=[REDACTED]&password=[REDACTED]');
    expect(logIns[0]!.response.cookies.map((c) => [c.name, c.value])).toEqual([
      ['sid', '[REDACTED]'],
      ['theme', '[REDACTED]'],
    ]);

    // Offline: the site is gone and the credentials are not set.
    await site.close();
    site = undefined;
    const tested = await project.run(['test', project.file]);
    expect(tested.stdout).toContain('passed');
    expect(tested.code).toBe(0);
  });
});
