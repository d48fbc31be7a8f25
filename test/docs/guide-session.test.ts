// The guide's "Sessions and logins" example, taken from docs/guide.md as a
// reader copies it, runs against the local login site (a form with a CSRF
// token, a session cookie set on a redirect, sessions that expire): every
// record once, one login per session, and no secret in what the run writes.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { secretForms } from '../../runtime/core/secrets.ts';
import { loadCollectorText } from '../../runtime/language/load.ts';
import { tempDir } from '../helpers/collector.ts';
import { ITEM_TITLE, startLoginSite, type LoginSite } from '../helpers/login-site.ts';
import { findFiles, readParts } from '../helpers/parts.ts';
import { runCliInProcess } from '../reliability/cli.ts';

const guide = readFileSync(fileURLToPath(new URL('../../docs/guide.md', import.meta.url)), 'utf8');
const section = guide.slice(guide.indexOf('## Sessions and logins'), guide.indexOf('## Network guard'));
const example = /```yaml\n# collectors\/login-example\.yaml\n([\s\S]*?)```/.exec(section)?.[1];

let site: LoginSite | undefined;
afterEach(async () => {
  await site?.close();
  site = undefined;
});

async function runExample(s: LoginSite, password = s.password) {
  const dir = tempDir('collect-guide-session-');
  mkdirSync(join(dir, 'collectors'));
  writeFileSync(join(dir, 'collectors', 'login-example.yaml'), example!);
  const cli = await runCliInProcess(
    ['run', 'collectors/login-example.yaml', '--out', 'out', '--allow-private-network', '--var', `base_url=${s.url}`],
    { cwd: dir, env: { SITE_USER: s.user, SITE_PASSWORD: password } },
  );
  const out = join(dir, 'out');
  const written = findFiles(out, /\.json$/)
    .map((f) => readFileSync(f, 'utf8'))
    .join('\n');
  return { cli, records: readParts(out), written };
}

describe('guide: sessions and logins', () => {
  it('has the example in its section, and it validates without errors', () => {
    expect(example).toBeDefined();
    const { diagnostics } = loadCollectorText(example!, 'collectors/login-example.yaml');
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('logs in with the CSRF token it took, and gets every page of the protected listing', async () => {
    site = await startLoginSite({ items: 13, perPage: 5 });
    const { cli, records, written } = await runExample(site);
    expect(cli.code, cli.stdout + cli.stderr).toBe(0);
    expect(records.sort((a, b) => String(a.title).localeCompare(String(b.title), 'en', { numeric: true }))).toEqual(
      Array.from({ length: 13 }, (_, i) => ({ title: ITEM_TITLE(i + 1), price: `${i + 1}.50` })),
    );
    expect(site.logins()).toBe(1);
    for (const form of [...site.issuedSecrets(), site.password].flatMap(secretForms))
      expect(written + cli.stdout + cli.stderr).not.toContain(form);
  });

  it('logs in again when the session expires, and still writes every record once', async () => {
    site = await startLoginSite({ items: 13, perPage: 5, expireAfter: 2 });
    const { cli, records } = await runExample(site);
    expect(cli.code, cli.stdout + cli.stderr).toBe(0);
    expect(records.map((r) => r.title).sort()).toEqual(Array.from({ length: 13 }, (_, i) => ITEM_TITLE(i + 1)).sort());
    // 3 listing pages, and /account after each login: one page a session of 2 requests.
    expect(site.logins()).toBe(3);
  });

  it('fails with a clear error on a wrong password', async () => {
    site = await startLoginSite({ items: 13, perPage: 5 });
    const { cli, records } = await runExample(site, 'wrong');
    expect(cli.code).toBe(1);
    expect(records).toEqual([]);
    expect(cli.stdout + cli.stderr).toContain('answered HTTP 401; check the credentials');
  });
});
