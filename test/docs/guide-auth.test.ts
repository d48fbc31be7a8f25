// The guide's "Authentication, proxies and robots.txt" example, taken from
// docs/guide.md as a reader copies it, runs against a local API behind OAuth2
// with a robots.txt: its records, one token and one robots.txt for the run,
// and no secret in what it writes.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { secretForms } from '../../runtime/core/secrets.ts';
import { loadCollectorText } from '../../runtime/language/load.ts';
import { startAuthSite, type AuthSite } from '../helpers/auth-site.ts';
import { tempDir } from '../helpers/collector.ts';
import { findFiles, readParts } from '../helpers/parts.ts';
import { runCliInProcess } from '../reliability/cli.ts';

const guide = readFileSync(fileURLToPath(new URL('../../docs/guide.md', import.meta.url)), 'utf8');
const section = guide.slice(guide.indexOf('## Authentication, proxies and robots.txt'), guide.indexOf('## Network guard'));
const example = /```yaml\n# collectors\/auth-example\.yaml\n([\s\S]*?)```/.exec(section)?.[1];

const ENV = { API_CLIENT_ID: 'guide-client', API_CLIENT_SECRET: 'guide/Secret+value=1' };

let api: AuthSite;
beforeAll(async () => {
  api = await startAuthSite({ clientId: ENV.API_CLIENT_ID, clientSecret: ENV.API_CLIENT_SECRET });
});
afterAll(() => api.close());

describe('guide: authentication, proxies and robots.txt', () => {
  it('has the example in its section, and it validates without errors', () => {
    expect(example).toBeDefined();
    const { diagnostics } = loadCollectorText(example!, 'collectors/auth-example.yaml');
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('runs against a local API: every item, one token, robots.txt read once, no secret written', async () => {
    const dir = tempDir('collect-guide-auth-');
    mkdirSync(join(dir, 'collectors'));
    writeFileSync(join(dir, 'collectors', 'auth-example.yaml'), example!);
    const cli = await runCliInProcess(
      ['run', 'collectors/auth-example.yaml', '--out', 'out', '--allow-private-network', '--var', `api_url=${api.url}`],
      { cwd: dir, env: ENV },
    );
    expect(cli.code, cli.stdout + cli.stderr).toBe(0);
    const records = readParts(join(dir, 'out')).sort((a, b) => Number(a.id) - Number(b.id));
    expect(records).toEqual([1, 2, 3, 4, 5, 6].map((id) => ({ id, name: `item ${id}` })));
    expect(api.site.hits('/oauth/token')).toBe(1);
    expect(api.site.hits('/robots.txt')).toBe(1);
    const token = api.site.requests.find((r) => r.path === '/api/items')?.headers.authorization;
    expect(token).toBe(`Bearer ${api.tokens[0]}`);
    const written = findFiles(join(dir, 'out'), /\.json$/)
      .filter((f) => existsSync(f))
      .map((f) => readFileSync(f, 'utf8'))
      .join('\n');
    for (const form of [ENV.API_CLIENT_SECRET, api.tokens[0]!].flatMap(secretForms)) expect(written + cli.stdout).not.toContain(form);
  });
});
