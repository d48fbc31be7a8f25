// The network guard at run level: a collector whose start URLs spell private,
// loopback, link-local and unique-local targets in every way a URL can (IPv6,
// IPv4-mapped, NAT64, 6to4, decimal, octal, hex), names that resolve to them,
// and redirects from an allowed site into them. A whole run refuses each one
// (a BlockedAddressError in its failures, never retried, nothing reaches the
// site behind it) while the healthy page of the same run is collected. Opened
// with network.allow, the loopback ones go through: the refusal is the policy's.
//
// test/fetch/guard.test.ts checks the same guard request by request; this is
// the end-to-end view. Used by guard.test.ts and figures.ts.
import type { LookupAddress } from 'node:dns';
import type { ServerResponse } from 'node:http';
import { HttpFetcher } from '../../runtime/core/fetch/http-fetcher.ts';
import type { Resolver } from '../../runtime/core/fetch/guard.ts';
import { runLocal } from '../../runtime/drivers/local/run.ts';
import { MemorySink } from '../../runtime/adapters/memory-sink.ts';
import type { Collector } from '../../runtime/language/generated/collector.types.ts';
import { tempDir } from '../helpers/collector.ts';
import { startFaultSite, type FaultSite } from '../helpers/fault-site.ts';
import { caseChecker, type CaseResult } from './verdict.ts';
import { resolveCollector } from '../../runtime/language/resolve.ts';

/** Names the injected resolver knows, standing in for DNS (rebinding included). */
const NAMES: Record<string, string[]> = {
  'site.test': ['127.0.0.1'],
  localhost: ['127.0.0.1', '::1'],
  'rebind.test': ['127.0.0.1'],
  'internal.test': ['10.0.0.7'],
  'metadata.test': ['169.254.169.254'],
  'ula.test': ['fd12:3456::1'],
  'mapped.test': ['::ffff:127.0.0.1'],
  'nat64.test': ['64:ff9b::a9fe:a9fe'],
  'mixed.test': ['93.184.216.34', '127.0.0.1'],
};

const resolver: Resolver = async (hostname): Promise<LookupAddress[]> => {
  const name = hostname.toLowerCase().replace(/\.$/, '');
  const addresses = NAMES[name];
  if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
  return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
};

export interface GuardCase {
  kind: 'spelling' | 'name' | 'redirect';
  /** The URL as the collector (or the redirect) gives it; PORT stands for the site's port. */
  target: string;
  /** True when an allowed run (network.allow: 127.0.0.0/8 and the loopback names) reaches the site through it. */
  loopback?: boolean;
}

const spelling = (target: string, loopback = false): GuardCase => ({ kind: 'spelling', target, loopback });
const name = (target: string, loopback = false): GuardCase => ({ kind: 'name', target, loopback });
const redirect = (target: string, loopback = false): GuardCase => ({ kind: 'redirect', target, loopback });

export const GUARD_CASES: readonly GuardCase[] = [
  spelling('http://127.0.0.1:PORT/g/1', true),
  spelling('http://127.1:PORT/g/2', true),
  spelling('http://2130706433:PORT/g/3', true),
  spelling('http://0x7f000001:PORT/g/4', true),
  spelling('http://0177.0.0.1:PORT/g/5', true),
  spelling('http://0x7f.0.0.1:PORT/g/6', true),
  spelling('http://017700000001:PORT/g/7', true),
  spelling('http://127.000.000.001:PORT/g/8', true),
  spelling('http://0.0.0.0:PORT/g/9'),
  spelling('http://0:PORT/g/10'),
  spelling('http://10.0.0.1/g/11'),
  spelling('http://172.16.0.1/g/12'),
  spelling('http://192.168.1.1/g/13'),
  spelling('http://100.64.0.1/g/14'),
  spelling('http://169.254.169.254/latest/meta-data/'),
  spelling('http://0xa9fea9fe/g/16'),
  spelling('http://2852039166/g/17'),
  spelling('http://[::1]:PORT/g/18'),
  spelling('http://[::]:PORT/g/19'),
  spelling('http://[::ffff:127.0.0.1]:PORT/g/20'),
  spelling('http://[::ffff:7f00:1]:PORT/g/21'),
  spelling('http://[::ffff:169.254.169.254]/g/22'),
  spelling('http://[fd00::1]/g/23'),
  spelling('http://[fc00::1]/g/24'),
  spelling('http://[fe80::1]/g/25'),
  spelling('http://[64:ff9b::a9fe:a9fe]/g/26'),
  spelling('http://[2002:7f00:1::]/g/27'),
  spelling('http://[::127.0.0.1]/g/28'),
  name('http://localhost:PORT/g/29', true),
  name('http://LOCALHOST.:PORT/g/30', true),
  name('http://rebind.test:PORT/g/31', true),
  name('http://internal.test/g/32'),
  name('http://metadata.test/latest/meta-data/'),
  name('http://ula.test/g/34'),
  name('http://mapped.test:PORT/g/35'),
  name('http://nat64.test/g/36'),
  name('http://mixed.test:PORT/g/37'),
  redirect('http://127.0.0.1:PORT/g/38', true),
  redirect('http://2130706433:PORT/g/39', true),
  redirect('http://0.0.0.0:PORT/g/40'),
  redirect('http://[::1]:PORT/g/41'),
  redirect('http://[::ffff:127.0.0.1]:PORT/g/42'),
  redirect('http://169.254.169.254/latest/meta-data/iam/'),
  redirect('http://[fd00::1]/g/44'),
  redirect('http://10.0.0.1/g/45'),
  redirect('http://rebind.test:PORT/g/46', true),
  redirect('http://internal.test/g/47'),
];

function send(res: ServerResponse, body: unknown): void {
  const data = JSON.stringify(body);
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) });
  res.end(data);
}

/** The URL a case's run starts from: the target itself, or the allowed site redirecting to it. */
function startUrl(c: GuardCase, site: FaultSite): string {
  const target = c.target.replace('PORT', String(site.port));
  return c.kind === 'redirect' ? `http://site.test:${site.port}/redirect/to?url=${encodeURIComponent(target)}` : target;
}

function collector(urls: [string, ...string[]], allow: string[]): Collector {
  return {
    name: 'guard',
    start: { urls },
    parse: 'json',
    extract: { items: 'items', fields: { id: { path: 'id', type: 'integer', required: true } } },
    request: { timeoutSeconds: 2, retries: { attempts: 2, baseDelaySeconds: 0.01, maxDelaySeconds: 0.05 } },
    network: { allow },
    output: 's3://guard/out',
  };
}

export interface GuardReport {
  cases: CaseResult[];
  refused: number;
  /** Loopback cases let through once network.allow opened them. */
  allowedThrough: number;
  ms: number;
}

export async function runGuard(): Promise<GuardReport> {
  const t0 = performance.now();
  const site = await startFaultSite();
  site.route('/g/*', (_req, res, ctx) => send(res, { items: [{ id: Number(ctx.url.pathname.split('/').pop()) || 0 }] }));
  site.route('/healthy', (_req, res) => send(res, { items: [{ id: 1001 }, { id: 1002 }] }));
  const fetcher = new HttpFetcher({ resolver });
  try {
    const cases: CaseResult[] = [];
    const healthy = `http://site.test:${site.port}/healthy`;
    const urls = GUARD_CASES.map((c) => startUrl(c, site));

    // Closed: only site.test (by name) is allowed.
    const closed = await runLocal({
      collector: resolveCollector(collector([healthy, ...urls], ['site.test'])),
      outDir: tempDir('collect-guard-'),
      fetcher,
      sink: new MemorySink(),
    });
    const requests = site.requests.map((r) => r.path);
    for (const [i, c] of GUARD_CASES.entries()) {
      const url = urls[i]!;
      const { result, check } = caseChecker(`${c.kind}: ${c.target}`);
      // Reports name the URL as the task holds it, as written or as the URL parser normalised it.
      const failures = closed.failures.filter((f) => f.url === url || f.url === new URL(url).href);
      check(failures.length === 1, `${failures.length} failures reported for ${url}, expected 1`);
      const f = failures[0];
      if (f) {
        check(f.error === 'BlockedAddressError', `failed with ${f.error}: ${f.message}`);
        // A metadata endpoint's message says that nothing opens it; every other one says what does.
        check(
          /refused to fetch .* is (a|an|the|not) .*\((open it with network\.allow or --allow-private-network|never reachable: no network\.allow entry and no --allow-private-network opens it)\)/.test(
            f.message,
          ),
          `unclear message: ${f.message}`,
        );
      }
      cases.push(result);
    }
    const { result: run, check } = caseChecker('closed run: healthy page kept, nothing reached behind the guard');
    check(
      requests.every((p) => !p.startsWith('/g/')),
      `the site served ${requests.filter((p) => p.startsWith('/g/')).join(', ')}`,
    );
    check(
      requests.filter((p) => p === '/redirect/to').length === GUARD_CASES.filter((c) => c.kind === 'redirect').length,
      'each redirect was asked once, never retried',
    );
    check(closed.manifest.records === 2, `${closed.manifest.records} records, expected the healthy page's 2`);
    check(
      closed.manifest.failures === GUARD_CASES.length,
      `the manifest counts ${closed.manifest.failures} failures, expected ${GUARD_CASES.length}`,
    );
    check(closed.manifest.retries === 0, `${closed.manifest.retries} retries`);
    cases.push(run);

    // Opened by network.allow: the loopback cases reach the site; the others stay refused.
    site.reset();
    const open = GUARD_CASES.filter((c) => c.loopback);
    const stillRefused: [string, string] = ['http://10.0.0.1/g/11', 'http://internal.test/g/32'];
    const opened = await runLocal({
      collector: resolveCollector(
        collector([...stillRefused, ...open.map((c) => startUrl(c, site))], ['127.0.0.0/8', 'site.test', 'localhost', 'rebind.test']),
      ),
      outDir: tempDir('collect-guard-'),
      fetcher,
      sink: new MemorySink(),
    });
    const allowed = caseChecker('opened with network.allow: loopback reached, the rest still refused');
    const served = site.requests.filter((r) => r.path.startsWith('/g/')).length;
    allowed.check(served === open.length, `the site served ${served} of the ${open.length} opened targets`);
    allowed.check(opened.manifest.records === open.length, `${opened.manifest.records} records, expected ${open.length}`);
    allowed.check(
      opened.failures.length === stillRefused.length && opened.failures.every((f) => f.error === 'BlockedAddressError'),
      `failures: ${opened.failures.map((f) => `${f.url} ${f.error}`).join('; ')}`,
    );
    cases.push(allowed.result);
    return {
      cases,
      refused: closed.failures.filter((f) => f.error === 'BlockedAddressError').length,
      allowedThrough: served,
      ms: performance.now() - t0,
    };
  } finally {
    await fetcher.close();
    await site.close();
  }
}
