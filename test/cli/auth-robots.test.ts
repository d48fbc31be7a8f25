// request.auth (OAuth2 client credentials) and robots.txt through the CLI:
// `collect run` asks for one token for the run, obeys robots.txt (a disallowed
// detail page fails on its own, named in _errors/), and no secret (the client
// secret, the token the API echoes) appears in anything it writes; `collect
// record` keeps the token request and robots.txt in the HAR with the token
// redacted, and `collect test` replays it; `collect explain` says how the
// collector authenticates and that robots.txt is obeyed.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/collector.ts';
import { startAuthSite, type AuthSite } from '../helpers/auth-site.ts';
import { findFiles, readParts } from '../helpers/parts.ts';
import { secretForms } from '../../runtime/core/secrets.ts';
import { runCliInProcess } from '../reliability/cli.ts';

const ENV = { API_CLIENT_ID: 'client-cli-7', API_CLIENT_SECRET: 'cs/cli+Secret=value' };

function protectedApiYaml(apiUrl: string, extra = ''): string {
  return `name: protected-api
owner: data@example.com
variables:
  api_url: ${apiUrl}
start:
  urls: ["{{ api_url }}/api/items?page=1"]
parse: json
extract:
  items: items
  fields:
    id: { path: id, type: integer, required: true }
    name: name
    seen_as: seen_as
    detail: { path: detail, type: url }
paginate: { type: next-link, path: next }
follow:
  field: detail
  parse: json
  extract:
    fields:
      price: { path: price, type: number, required: true }
request:
  auth:
    oauth2:
      tokenUrl: "{{ api_url }}/oauth/token"
      clientId: "\${env:API_CLIENT_ID}"
      clientSecret: "\${env:API_CLIENT_SECRET}"
  retries: { attempts: 0 }
network: { allow: ["127.0.0.1"] }
output: s3://lake/raw/{{ name }}
expect: { minRecords: 1 }
${extra}`;
}

function allText(dir: string): string {
  return findFiles(dir, /./)
    .map((f) => {
      const data = readFileSync(f);
      return f.endsWith('.gz') ? gunzipSync(data).toString('utf8') : data.toString('utf8');
    })
    .join('\n');
}

let api: AuthSite | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

/** The collector, pointed at the running API, in a fresh directory. */
function setUp(): { dir: string; file: string } {
  const dir = tempDir('collect-auth-cli-');
  const file = join(dir, 'protected-api.yaml');
  writeFileSync(file, protectedApiYaml(api!.url));
  return { dir, file };
}

describe('collect run with oauth2 and robots.txt', () => {
  it('one token for the run, robots.txt obeyed, no secret in the output', async () => {
    api = await startAuthSite({ clientId: ENV.API_CLIENT_ID, clientSecret: ENV.API_CLIENT_SECRET, privateItem: 5 });
    const { dir, file } = setUp();
    const out = join(dir, 'out');
    const cli = await runCliInProcess(['run', file, '--out', out], { cwd: dir, env: ENV });
    expect(cli.code).toBe(1); // the disallowed detail page failed
    expect(api.site.hits('/oauth/token')).toBe(1);
    expect(api.site.hits('/robots.txt')).toBe(1);
    expect(api.site.hits('/api/private/5')).toBe(0);
    const records = readParts(out).sort((a, b) => Number(a.id) - Number(b.id));
    expect(records.map((r) => r.id)).toEqual([1, 2, 3, 4, 6]);
    expect(records[0]).toMatchObject({ id: 1, name: 'item 1', price: 10, seen_as: 'Bearer [REDACTED]' });
    const text = allText(out) + cli.stdout + cli.stderr;
    expect(text).toContain('RobotsDisallowedError');
    expect(text).toContain(`${api.url}/api/private/5 is disallowed by ${api.url}/robots.txt: Disallow: /api/private/ (robots.txt line 2)`);
    const [token] = api.tokens;
    expect(token).toBeDefined();
    // Every form a secret takes in text (URL- and form-encoded, base64, JSON-escaped), as test/reliability/secrets.ts searches.
    for (const form of [token!, ENV.API_CLIENT_SECRET].flatMap(secretForms)) expect(text).not.toContain(form);
  });

  it('record keeps robots.txt and the token request with the token redacted; test replays it', async () => {
    api = await startAuthSite({ clientId: ENV.API_CLIENT_ID, clientSecret: ENV.API_CLIENT_SECRET });
    const { dir, file } = setUp();
    const recorded = await runCliInProcess(['record', file], { cwd: dir, env: ENV });
    expect(recorded.stdout + recorded.stderr).not.toContain(api.tokens[0]!);
    expect(recorded.code).toBe(0);
    const har = readFileSync(join(dir, 'protected-api.har'), 'utf8');
    const urls = (JSON.parse(har) as { log: { entries: { request: { url: string } }[] } }).log.entries.map((e) => e.request.url);
    expect(urls).toContain(`${api.url}/robots.txt`);
    expect(urls).toContain(`${api.url}/oauth/token`);
    expect(api.tokens.length).toBeGreaterThanOrEqual(1);
    for (const form of [...api.tokens, ENV.API_CLIENT_SECRET, ENV.API_CLIENT_ID].flatMap(secretForms)) expect(har).not.toContain(form);
    expect(har).toContain('"access_token\\":\\"[REDACTED]\\"');
    const expected = readFileSync(join(dir, 'protected-api.expected.jsonl'), 'utf8');
    expect(expected).toContain('"seen_as":"Bearer [REDACTED]"');
    // The replay needs no network and no secret: robots.txt and the token come from the HAR.
    await api.close();
    api = undefined;
    const replayed = await runCliInProcess(['test', file], { cwd: dir, env: {} });
    expect(replayed.stdout + replayed.stderr).toMatch(/pass/i);
    expect(replayed.code).toBe(0);
  });
});

describe('collect explain', () => {
  it('says how requests authenticate and that robots.txt is obeyed, or ignored on purpose', async () => {
    const dir = tempDir('collect-auth-explain-');
    const file = join(dir, 'protected-api.yaml');
    writeFileSync(file, protectedApiYaml('http://127.0.0.1:9'));
    const obeyed = await runCliInProcess(['explain', file], { cwd: dir, env: ENV });
    expect(obeyed.code).toBe(0);
    expect(obeyed.stdout).toContain('Access (authentication, proxy, robots.txt)');
    expect(obeyed.stdout).toContain(
      'authentication: OAuth2 client credentials from {{ api_url }}/oauth/token (client ${env:API_CLIENT_ID}, secret from ${env:API_CLIENT_SECRET}, sent as form fields)',
    );
    expect(obeyed.stdout).toContain('proxy: none, requests go out directly');
    expect(obeyed.stdout).toContain('robots.txt: obeyed (the default)');
    expect(obeyed.stdout).not.toContain(ENV.API_CLIENT_SECRET);
    writeFileSync(
      file,
      protectedApiYaml('http://127.0.0.1:9').replace('  retries:', '  robots: ignore\n  proxy: "${env:PROXY_URL}"\n  retries:'),
    );
    const ignored = await runCliInProcess(['explain', file], { cwd: dir, env: ENV });
    expect(ignored.stdout).toContain('robots.txt: IGNORED (request.robots: ignore, chosen explicitly)');
    expect(ignored.stdout).toContain('proxy: every request goes through ${env:PROXY_URL}');
  });
});
