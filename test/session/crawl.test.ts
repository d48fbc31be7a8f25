// A crawl behind a login, run locally against a real site: the login runs once
// before the first page, a session that expires is renewed and the page fetched
// again (every record once), wrong credentials fail clearly, and no cookie or
// session value reaches the records, the run's files or its log.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import type { EngineLogger } from '../../runtime/core/engine/ports.ts';
import { runInMemory, tempDir } from '../helpers/collector.ts';
import { ITEM_TITLE, startLoginSite, type LoginSite } from '../helpers/login-site.ts';
import { apiCollector, credentials, membersCollector } from './collectors.ts';

let site: LoginSite | undefined;
afterEach(async () => {
  await site?.close();
  site = undefined;
});

const titles = (n: number) => Array.from({ length: n }, (_, i) => ITEM_TITLE(i + 1)).sort();

/** A logger that keeps every line, as text, to look for secrets in. */
function keepingLogger(): EngineLogger & { text(): string } {
  const lines: string[] = [];
  const keep = (level: string) => (message: string, extra?: Record<string, unknown>) => {
    lines.push(`${level} ${message} ${JSON.stringify(extra ?? {})}`);
  };
  return {
    debug: keep('debug'),
    info: keep('info'),
    warn: keep('warn'),
    error: keep('error'),
    text: () => lines.join('\n'),
  } as EngineLogger & {
    text(): string;
  };
}

/** Every file under a folder, gunzipped when it is gzip, as one text. */
function allFiles(dir: string): string {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(allFiles(path));
    else out.push(path.endsWith('.gz') ? gunzipSync(readFileSync(path)).toString('utf8') : readFileSync(path, 'utf8'));
  }
  return out.join('\n');
}

describe('a crawl behind a form login', () => {
  it('logs in once, before the first page, and gets every record with its detail page', async () => {
    site = await startLoginSite({ items: 23, perPage: 5 });
    const outDir = tempDir();
    const logger = keepingLogger();
    const result = await runInMemory(membersCollector(site), { env: credentials(site), outDir, logger, sink: undefined });
    expect(result.failures).toEqual([]);
    const records = readRecords(outDir);
    expect(records.map((r) => r.title).sort()).toEqual(titles(23));
    expect(records.find((r) => r.title === ITEM_TITLE(7))?.price).toBe('7.50');
    expect(site.logins()).toBe(1);
    expect(site.refusedLogins()).toBe(0);
    // The listing pages and the detail pages, each once, all with the session.
    expect(site.served().filter((p) => p.startsWith('/items?'))).toHaveLength(5);
    expect(site.served().filter((p) => p.startsWith('/items/'))).toHaveLength(23);

    const written = allFiles(outDir);
    const secrets = [...site.issuedSecrets(), site.password];
    expect(secrets.length).toBeGreaterThan(2);
    for (const s of secrets) {
      expect(written, 'a run file holds a secret').not.toContain(s);
      expect(logger.text(), 'the log holds a secret').not.toContain(s);
    }
  });

  it('logs in again when the session expires, and still gets every record exactly once', async () => {
    site = await startLoginSite({ items: 23, perPage: 5, expireAfter: 6 });
    const result = await runInMemory(membersCollector(site), { env: credentials(site) });
    expect(result.failures).toEqual([]);
    const titlesSeen = result.sink.records().map((r) => r.title);
    expect(titlesSeen.sort()).toEqual(titles(23));
    // 28 protected pages, and /account after each login: 5 pages a session of 6 requests, so 6 logins,
    // one per expiry however many pages in flight saw it.
    expect(site.logins()).toBe(6);
    expect(site.served().filter((p) => p.startsWith('/items'))).toHaveLength(28);
    expect(result.manifest.records).toBe(23);
  });

  it('fails clearly on a wrong password, with one refused login and no page fetched', async () => {
    site = await startLoginSite({ items: 8, perPage: 5 });
    const result = await runInMemory(membersCollector(site), { env: credentials(site, 'not-the-password') });
    expect(result.sink.records()).toEqual([]);
    expect(result.failures).toHaveLength(1);
    expect(result.failures[0]).toMatchObject({ error: 'LoginError', status: 401 });
    expect(result.failures[0]!.message).toMatch(
      /^login step 2 \(POST http:\/\/127\.0\.0\.1:\d+\/login\) answered HTTP 401; check the credentials$/,
    );
    expect(site.refusedLogins()).toBe(1);
    expect(site.served()).toEqual([]);
    expect(result.manifest.status).toBe('failed');
  });

  it('stops logging in when a new session expires before any page loads with it', async () => {
    // Every session expires at once: the login "works", the pages never do.
    site = await startLoginSite({ items: 8, perPage: 5, expireAfter: 0 });
    const result = await runInMemory(membersCollector(site), { env: credentials(site) });
    expect(result.sink.records()).toEqual([]);
    expect(site.logins()).toBe(2);
    expect(result.failures).toHaveLength(1);
    expect(result.failures[0]).toMatchObject({ error: 'SessionExpiredError' });
    expect(result.failures[0]!.message).toContain(
      'the session expired again right after a new login (redirected to a URL matching /login); the login does not hold: check the credentials and session.expired',
    );
  });
});

describe('a JSON API behind a token login', () => {
  it('sends the token it took as ${session:token}, and renews it on a 401', async () => {
    site = await startLoginSite({ items: 23, perPage: 5, expireAfter: 2 });
    const logger = keepingLogger();
    const result = await runInMemory(apiCollector(site), { env: credentials(site), logger });
    expect(result.failures).toEqual([]);
    expect(
      result.sink
        .records()
        .map((r) => r.id)
        .sort((a, b) => Number(a) - Number(b)),
    ).toEqual(Array.from({ length: 23 }, (_, i) => i + 1));
    // 6 pages (the last one empty), 2 a token: 3 logins.
    expect(site.logins()).toBe(3);
    for (const s of site.issuedSecrets()) expect(logger.text()).not.toContain(s);
  });
});

function readRecords(outDir: string): Record<string, unknown>[] {
  const text = allFilesMatching(outDir, /^part-.*\.jsonl\.gz$/);
  return text
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

function allFilesMatching(dir: string, pattern: RegExp): string {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(allFilesMatching(path, pattern));
    else if (pattern.test(name)) out.push(gunzipSync(readFileSync(path)).toString('utf8'));
  }
  return out.filter(Boolean).join('\n');
}
