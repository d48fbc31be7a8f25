// Hostile sites and hostile specs, end to end through the `collect` CLI as a
// user runs it (bin/collect.mjs in a child process):
//
// - metadata: cloud metadata endpoints (169.254.169.254, fd00:ec2::254, ECS's
//   169.254.170.2, EKS Pod Identity's 169.254.170.23 and fd00:ec2::23) in every
//   spelling, through names that resolve to them (one of them listed in
//   network.allow) and through redirects, in a run with --allow-private-network:
//   each refused with an error that says nothing opens it, never retried, the
//   healthy page of the same run kept;
// - allow-list: network.allow ranges that cover an endpoint, refused by
//   `collect validate` (and `collect run`) with a position naming the endpoint;
// - output and variable: an output, a --var value or an --out that climbs out of
//   its folder or a URL path, refused before anything is written or fetched;
// - sink: the same escapes with the validator bypassed (the local driver in
//   process): the folder sink refuses the write, nothing lands outside --out;
// - seeds: a hundred million seeds refused by validate and run before any is made
//   (and by the planner when the validator is bypassed);
// - retry-after and delay: a site answering 429 with `Retry-After: 3000000` (or a
//   date in the year 9999) is asked again after maxDelaySeconds (1 s here), as
//   the site sees it; a delay beyond its ceiling does not validate.
//
// Names resolve through a stand-in for DNS loaded into the child (`--import`),
// as test/reliability/guard.ts injects a resolver in process. Used by
// hostile-bounds.test.ts (and figures.ts).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { stringify } from 'yaml';
import { TooManySeedsError } from '../../runtime/core/engine/plan.ts';
import { UnsafeOutputError } from '../../runtime/core/output/layout.ts';
import { runLocal } from '../../runtime/drivers/local/run.ts';
import type { Collector } from '../../runtime/language/generated/collector.types.ts';
import { resolveCollector } from '../../runtime/language/resolve.ts';
import { tempDir } from '../helpers/collector.ts';
import { startFaultSite, type FaultSite } from '../helpers/fault-site.ts';
import { findFiles, readFailures, readParts } from '../helpers/parts.ts';
import { caseChecker, type CaseResult } from './verdict.ts';

export type HostileAttackKind = 'metadata' | 'allow-list' | 'output' | 'variable' | 'sink' | 'seeds' | 'retry-after' | 'delay';

/** One attack: what was tried and whether the runtime held (refused, or waited, as promised). */
interface HostileAttack extends CaseResult {
  attack: HostileAttackKind;
  /** What was tried, e.g. `http://0xa9fea9fe/ with --allow-private-network`. */
  tried: string;
  /** True when the promise held: `problems` is empty. */
  held: boolean;
}

export interface HostileBoundsReport {
  attacks: HostileAttack[];
  /** Requests the hostile site received in all. */
  requests: number;
  ms: number;
}

const BIN = new URL('../../bin/collect.mjs', import.meta.url).pathname;
const NEVER = 'never reachable: no network.allow entry and no --allow-private-network opens it';

/** Names the DNS stand-in knows: each resolves to a metadata endpoint. */
const NAMES: Record<string, string> = {
  'imds.hostile.test': '169.254.169.254',
  'imds-allowed.hostile.test': '169.254.169.254',
  'pod.hostile.test': 'fd00:ec2::23',
  'ecs-nat64.hostile.test': '64:ff9b::a9fe:aa02',
};

const DNS_STAND_IN = `// Written by test/reliability/hostile-bounds.ts: names of the scenario resolve to metadata endpoints.
import dns from 'node:dns';
const NAMES = ${JSON.stringify(NAMES)};
const original = dns.promises.lookup;
dns.promises.lookup = async (hostname, options = {}) => {
  const address = NAMES[String(hostname).toLowerCase().replace(/\\.$/, '')];
  if (address === undefined) return original.call(dns.promises, hostname, options);
  const found = { address, family: address.includes(':') ? 6 : 4 };
  return options.all ? [found] : found;
};
`;

/** Metadata endpoints as a start URL or a redirect gives them; `how` says what kind of spelling it is. */
const METADATA_TARGETS: readonly { url: string; how: string; via?: 'redirect' }[] = [
  { url: 'http://169.254.169.254/latest/meta-data/iam/security-credentials/', how: 'IMDS' },
  { url: 'http://0xa9fea9fe/latest/api/token', how: 'IMDS, hex' },
  { url: 'http://2852039166/latest/meta-data/', how: 'IMDS, decimal' },
  { url: 'http://0251.0376.0251.0376/latest/meta-data/', how: 'IMDS, octal' },
  { url: 'http://169.254.43518/latest/meta-data/', how: 'IMDS, short form' },
  { url: 'http://[::ffff:169.254.169.254]/latest/meta-data/', how: 'IMDS, IPv4-mapped IPv6' },
  { url: 'http://[64:ff9b::a9fe:a9fe]/latest/meta-data/', how: 'IMDS, NAT64' },
  { url: 'http://[2002:a9fe:a9fe::1]/latest/meta-data/', how: 'IMDS, 6to4' },
  { url: 'http://[fd00:ec2::254]/latest/meta-data/', how: 'IMDS over IPv6' },
  { url: 'http://169.254.170.2/v2/credentials/task', how: 'ECS task metadata' },
  { url: 'http://[::ffff:a9fe:aa02]/v2/credentials/task', how: 'ECS task metadata, IPv4-mapped' },
  { url: 'http://169.254.170.23/v1/credentials', how: 'EKS Pod Identity' },
  { url: 'http://[fd00:ec2::23]/v1/credentials', how: 'EKS Pod Identity over IPv6' },
  { url: 'http://imds.hostile.test/latest/meta-data/', how: 'a name resolving to IMDS' },
  { url: 'http://imds-allowed.hostile.test/latest/meta-data/', how: 'a name network.allow lists, resolving to IMDS' },
  { url: 'http://pod.hostile.test/v1/credentials', how: 'a name resolving to EKS Pod Identity over IPv6' },
  { url: 'http://ecs-nat64.hostile.test/v2/credentials/task', how: 'a name resolving to ECS task metadata in NAT64' },
  { url: 'http://169.254.169.254/latest/meta-data/', how: 'IMDS', via: 'redirect' },
  { url: 'http://[fd00:ec2::254]/latest/meta-data/', how: 'IMDS over IPv6', via: 'redirect' },
  { url: 'http://imds.hostile.test/latest/meta-data/', how: 'a name resolving to IMDS', via: 'redirect' },
];

/** network.allow entries that cover an endpoint, and the endpoint validate must name. */
const WIDE_ALLOWS: readonly [entry: string, names: string][] = [
  ['0.0.0.0/0', '169.254.169.254'],
  ['169.254.0.0/16', '169.254.170.2'],
  ['::/0', 'fd00:ec2::254'],
  ['fd00::/8', 'fd00:ec2::23'],
  ['169.254.170.23/32', '169.254.170.23'],
  ['64:ff9b::/96', '169.254.169.254 (as NAT64)'],
  ['::ffff:169.254.169.254', '169.254.169.254'],
];

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `collect ARGS` in a child process, the DNS stand-in loaded. */
function collect(args: string[], cwd: string, preload: string): Promise<CliRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', pathToFileURL(preload).href, BIN, ...args], {
      cwd,
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    // Only a bound on a hung child: every run here takes seconds.
    const timer = setTimeout(() => child.kill('SIGKILL'), 180_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

interface Diagnostic {
  line: number;
  column: number;
  severity: string;
  path: string;
  message: string;
  hint?: string;
}

function diagnostics(run: CliRun): Diagnostic[] {
  try {
    return JSON.parse(run.stdout) as Diagnostic[];
  } catch {
    return [];
  }
}

function send(res: ServerResponse, body: unknown): void {
  const data = JSON.stringify(body);
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) });
  res.end(data);
}

/** findFiles and readFailures of a folder a refused run may never have made. */
function filesIn(dir: string, pattern: RegExp): string[] {
  return existsSync(dir) ? findFiles(dir, pattern) : [];
}

function failuresIn(dir: string): Record<string, unknown>[] {
  return existsSync(dir) ? readFailures(dir) : [];
}

/** Every path below `dir`, relative to it. */
function walk(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? [name, ...walk(path).map((p) => `${name}/${p}`)] : [name];
  });
}

const base = (site: FaultSite, extra: Partial<Collector>): Collector => ({
  name: 'hostile',
  owner: 'reliability@example.com',
  start: { urls: [site.at('/healthy')] },
  parse: 'json',
  extract: { items: 'items', fields: { id: { path: 'id', type: 'integer', required: true } } },
  request: { timeoutSeconds: 5, retries: { attempts: 1, baseDelaySeconds: 0.01, maxDelaySeconds: 0.05 } },
  output: 's3://hostile-lake/raw',
  expect: { minRecords: 1 },
  ...extra,
});

export async function runHostileBounds(): Promise<HostileBoundsReport> {
  const t0 = performance.now();
  const top = tempDir('collect-hostile-');
  const project = join(top, 'project');
  const collectors = join(project, 'collectors');
  mkdirSync(collectors, { recursive: true });
  // Deep enough that "../../../escaped" from the output folder still lands inside `top`, where it shows.
  const out = join(project, 'a', 'b', 'out');
  const preload = join(top, 'dns.mjs');
  writeFileSync(preload, DNS_STAND_IN);
  const site = await startFaultSite();
  site.route('/healthy', (_req, res) => send(res, { items: [{ id: 1 }] }));
  site.route('/p/*', (_req, res) => send(res, { items: [{ id: 2 }] }));
  site.route('/hostile/seconds', (_req, res) => {
    res.writeHead(429, { 'content-type': 'text/plain', 'retry-after': '3000000' });
    res.end('come back in a month');
  });
  site.route('/hostile/date', (_req, res) => {
    res.writeHead(429, { 'content-type': 'text/plain', 'retry-after': 'Fri, 31 Dec 9999 23:59:59 GMT' });
    res.end('come back in the year 9999');
  });
  const attacks: HostileAttack[] = [];
  const attack = (kind: HostileAttackKind, tried: string) => {
    const { result, check } = caseChecker(`${kind}: ${tried}`);
    const entry: HostileAttack = { ...result, attack: kind, tried, held: true };
    attacks.push(entry);
    return {
      check: (ok: boolean, message: string) => {
        check(ok, message);
        entry.problems = result.problems;
        entry.held = result.problems.length === 0;
      },
    };
  };
  const write = (name: string, collector: Collector): string => {
    const file = join(collectors, `${name}.yaml`);
    writeFileSync(file, stringify({ ...collector, name }));
    return relative(project, file);
  };
  const cli = (...args: string[]) => collect(args, project, preload);
  let requests = 0;
  const resetSite = () => {
    requests += site.requests.length;
    site.reset();
  };
  /** Requests the site received for paths other than these. */
  const unexpected = (...allowed: string[]) => site.requests.filter((r) => !allowed.includes(r.path)).map((r) => r.path);

  try {
    // --- metadata: a run opened with --allow-private-network ------------------------------------
    const start = (t: (typeof METADATA_TARGETS)[number]) =>
      t.via === 'redirect' ? site.at(`/redirect/to?url=${encodeURIComponent(t.url)}`) : t.url;
    const metadataFile = write(
      'metadata',
      base(site, {
        start: { urls: [site.at('/healthy'), ...METADATA_TARGETS.map(start)] },
        network: { allow: ['imds-allowed.hostile.test'] },
      }),
    );
    const metadataOut = join(out, 'metadata');
    const metadataRun = await cli('run', metadataFile, '--out', metadataOut, '--allow-private-network', '--quiet');
    const failures = failuresIn(metadataOut);
    for (const target of METADATA_TARGETS) {
      const a = attack(
        'metadata',
        `${target.via === 'redirect' ? 'a redirect to ' : ''}${target.url} (${target.how}) with --allow-private-network`,
      );
      const url = start(target);
      const mine = failures.filter((f) => f.url === url || f.url === new URL(url).href);
      a.check(mine.length === 1, `${mine.length} failures reported for ${url}, expected 1`);
      const f = mine[0];
      if (f) {
        a.check(f.error === 'BlockedAddressError', `failed with ${String(f.error)}: ${String(f.message)}`);
        a.check(
          String(f.message).includes('is a cloud metadata endpoint (') && String(f.message).includes(NEVER),
          `the message does not say that nothing opens it: ${String(f.message)}`,
        );
      }
    }
    {
      const a = attack('metadata', 'the rest of the same run: the healthy page kept, nothing retried, only the redirects asked once');
      a.check(metadataRun.code === 1, `collect run exited ${metadataRun.code}, expected 1 (pages failed): ${metadataRun.stderr}`);
      const records = existsSync(metadataOut) ? readParts(metadataOut) : [];
      a.check(records.length === 1 && records[0]?.id === 1, `records ${JSON.stringify(records)}, expected the healthy page's one`);
      const manifest = filesIn(metadataOut, /^_manifest\.json$/)[0];
      const totals = manifest ? (JSON.parse(readFileSync(manifest, 'utf8')) as { retries: number; failures: number }) : undefined;
      a.check(totals?.retries === 0, `${totals?.retries} retries`);
      a.check(totals?.failures === METADATA_TARGETS.length, `${totals?.failures} failures, expected ${METADATA_TARGETS.length}`);
      const redirects = METADATA_TARGETS.filter((t) => t.via === 'redirect').length;
      a.check(site.requests.filter((r) => r.path === '/redirect/to').length === redirects, `the redirects were asked more than once`);
      // robots.txt is asked once for the run (obeyed by default).
      const served = unexpected('/healthy', '/redirect/to', '/robots.txt');
      a.check(served.length === 0, `the site served ${served.join(', ')}`);
    }

    // --- allow-list: validate refuses a range covering an endpoint ------------------------------
    for (const [i, [entry, names]] of WIDE_ALLOWS.entries()) {
      const a = attack('allow-list', `network.allow: ["${entry}"]`);
      const file = write(`allow-${i}`, base(site, { network: { allow: [entry] } }));
      const run = await cli('validate', file, '--format', 'json');
      a.check(run.code === 1, `collect validate exited ${run.code}, expected 1`);
      const d = diagnostics(run).find((x) => x.path === 'network.allow[0]' && x.severity === 'error');
      a.check(d !== undefined, `no error at network.allow[0]: ${run.stdout}${run.stderr}`);
      if (d) {
        a.check(d.message.startsWith(`"${entry}" covers `) && d.message.includes(names), `the error does not name ${names}: ${d.message}`);
        a.check(d.line > 1 && d.column > 1 && d.hint !== undefined, `no position or fix: ${JSON.stringify(d)}`);
      }
    }
    {
      const a = attack('allow-list', 'collect run with network.allow: ["0.0.0.0/0"] and a start URL at 169.254.169.254');
      const file = write(
        'allow-run',
        base(site, { start: { urls: [site.at('/p/1'), 'http://169.254.169.254/latest/'] }, network: { allow: ['0.0.0.0/0'] } }),
      );
      const run = await cli('run', file, '--out', join(out, 'allow-run'), '--quiet');
      a.check(
        run.code === 1 && run.stderr.includes('network.allow[0]: "0.0.0.0/0" covers'),
        `collect run exited ${run.code}: ${run.stderr}`,
      );
      a.check(!existsSync(join(out, 'allow-run')), 'the run wrote an output folder');
    }

    // --- output and variable: nothing leaves its place ------------------------------------------
    resetSite();
    for (const [output, reason] of [
      ['s3://hostile-lake/../../../escaped', '".." segment'],
      ['s3://hostile-lake/raw/..\\..\\..\\escaped', 'backslash'],
      ['s3://hostile-lake/raw/\u0000escaped', 'control character U+0000'],
    ] as const) {
      const a = attack('output', `output: ${JSON.stringify(output)}`);
      const file = write(`output-${attacks.length}`, base(site, { output }));
      const checked = await cli('validate', file, '--format', 'json');
      const d = diagnostics(checked).find((x) => x.path === 'output' && x.severity === 'error');
      a.check(checked.code === 1 && d?.message.includes(reason) === true, `collect validate exited ${checked.code}: ${checked.stdout}`);
      a.check(d?.hint?.startsWith('write s3://hostile-lake/') === true, `no fix offered: ${JSON.stringify(d)}`);
      const run = await cli('run', file, '--out', out, '--allow-private-network', '--quiet');
      a.check(run.code === 1 && run.stderr.includes(reason), `collect run exited ${run.code}: ${run.stderr}`);
    }
    const templated = write(
      'variable',
      base(site, {
        start: { urls: [site.at('/{{ page }}')] },
        variables: { day: '2024-01-01', page: 'healthy' },
        output: 's3://hostile-lake/raw/{{ day }}',
      }),
    );
    for (const [value, reason] of [
      ['day=../../../../escaped', '(used in the output location) has a ".." segment'],
      ['day=/tmp/escaped', 'starts with "/", an absolute path'],
      ['day=..\\..\\escaped', 'contains a backslash'],
      ['day=x\u0007', 'control character U+0007'],
      ['page=../redirect/metadata', '(used in a start URL path) has a ".." segment'],
      ['page=%2e%2e/redirect/metadata', 'has a "%2e%2e" segment'],
      ['page=healthy?x=1', 'contains "?"'],
    ] as const) {
      const a = attack('variable', `--var ${JSON.stringify(value)}`);
      const run = await cli('run', templated, '--var', value, '--out', out, '--allow-private-network', '--quiet');
      a.check(run.code === 2, `collect run exited ${run.code}, expected 2 (a usage error)`);
      a.check(
        run.stderr.includes(`--var ${value.slice(0, value.indexOf('='))}: `) && run.stderr.includes(reason),
        `unclear refusal: ${run.stderr}`,
      );
    }
    {
      const a = attack('variable', 'variables: { day: { values: [ok, "../../escaped"] } } in the file');
      const file = write(
        'variable-file',
        base(site, { variables: { day: { values: ['ok', '../../escaped'] } }, output: 's3://hostile-lake/raw/{{ day }}' }),
      );
      const run = await cli('validate', file, '--format', 'json');
      const d = diagnostics(run).find((x) => x.path === 'variables.day.values[1]');
      a.check(run.code === 1 && d?.message.includes('has a ".." segment') === true, `collect validate exited ${run.code}: ${run.stdout}`);
    }
    {
      const a = attack('variable', '--out s3://hostile-lake/../../escaped');
      const run = await cli('run', templated, '--out', 's3://hostile-lake/../../escaped', '--allow-private-network', '--quiet');
      a.check(
        run.code === 2 && run.stderr.includes('--out s3://hostile-lake/../../escaped has a ".." segment'),
        `collect run exited ${run.code}: ${run.stderr}`,
      );
    }
    {
      const a = attack('output', 'nothing written outside --out, nothing fetched, by any of the above');
      const outside = walk(top).filter((p) => !p.startsWith('project/a/b/out') && !/^project(\/a(\/b)?)?$/.test(p));
      const stray = outside.filter((p) => !p.startsWith('project/collectors') && p !== 'dns.mjs');
      a.check(stray.length === 0, `written outside --out: ${stray.join(', ')}`);
      a.check(
        !walk(top).some((p) => p.includes('escaped')),
        `an "escaped" path exists: ${walk(top)
          .filter((p) => p.includes('escaped'))
          .join(', ')}`,
      );
      a.check(site.requests.length === 0, `the site served ${site.requests.map((r) => r.path).join(', ')}`);
    }

    // --- sink: the validator bypassed, the local driver in process ------------------------------
    for (const [tried, collector, vars] of [
      ['output "s3://hostile-lake/../../../escaped", never validated', base(site, { output: 's3://hostile-lake/../../../escaped' }), {}],
      [
        '--var day="../../../../escaped", never checked',
        base(site, { variables: { day: 'x' }, output: 's3://hostile-lake/raw/{{ day }}' }),
        { day: '../../../../escaped' },
      ],
      ['a bucket of ".."', base(site, { output: 's3://../escaped' }), {}],
    ] as const) {
      const a = attack('sink', `${tried} (in process)`);
      const dir = join(out, 'bypass');
      try {
        await runLocal({ collector: resolveCollector(collector), outDir: dir, vars, allowPrivateNetwork: true });
        a.check(false, 'the run went ahead');
      } catch (err) {
        a.check(err instanceof UnsafeOutputError, `failed with ${String(err)}`);
        a.check(/^refused to write /.test((err as Error).message), `unclear message: ${(err as Error).message}`);
      }
      a.check(
        !walk(top).some((p) => p.includes('escaped')),
        `an "escaped" path exists: ${walk(top)
          .filter((p) => p.includes('escaped'))
          .join(', ')}`,
      );
      a.check(filesIn(dir, /^(part-.*|_run\.json|_manifest\.json)$/).length === 0, 'the run wrote output files');
    }

    // --- seeds: a hundred million seeds -------------------------------------------------------------
    resetSite();
    const huge = base(site, { start: { urls: [site.at('/p/{{ page }}')] }, variables: { page: { range: { from: 1, to: 100_000_000 } } } });
    {
      const a = attack('seeds', 'a range of 100000000 pages');
      const file = write('seeds', huge);
      const checked = await cli('validate', file, '--format', 'json');
      const d = diagnostics(checked).find((x) => x.path === 'start.urls[0]');
      a.check(
        checked.code === 1 && d?.message.startsWith('the start URLs expand to 100000000 seeds, more than limits.maxSeeds (10000)') === true,
        `collect validate exited ${checked.code}: ${checked.stdout}`,
      );
      a.check(d?.hint?.startsWith('narrow variables.page.range to at most 10000 values') === true, `no fix offered: ${JSON.stringify(d)}`);
      const run = await cli('run', file, '--out', out, '--allow-private-network', '--quiet');
      a.check(run.code === 1 && run.stderr.includes('expand to 100000000 seeds'), `collect run exited ${run.code}: ${run.stderr}`);
    }
    {
      const a = attack('seeds', 'limits.maxSeeds: 3 and a list of 4 values');
      const file = write(
        'seeds-list',
        base(site, {
          start: { urls: [site.at('/p/{{ c }}')] },
          variables: { c: { values: ['a', 'b', 'c', 'd'] } },
          limits: { maxSeeds: 3 },
        }),
      );
      const checked = await cli('validate', file, '--format', 'json');
      a.check(
        checked.code === 1 && checked.stdout.includes('expand to 4 seeds, more than limits.maxSeeds (3)'),
        `collect validate exited ${checked.code}`,
      );
    }
    {
      const a = attack('seeds', 'a range of 100000000 pages, never validated (in process)');
      try {
        await runLocal({ collector: resolveCollector(huge), outDir: join(out, 'seeds-bypass'), allowPrivateNetwork: true });
        a.check(false, 'the run went ahead');
      } catch (err) {
        a.check(err instanceof TooManySeedsError, `failed with ${String(err)}`);
      }
      a.check(site.requests.length === 0, `the site served ${site.requests.length} requests`);
    }

    // --- retry-after and delay ------------------------------------------------------------------
    resetSite();
    {
      const file = write(
        'retry-after',
        base(site, {
          start: { urls: [site.at('/hostile/seconds'), site.at('/hostile/date')] },
          request: { timeoutSeconds: 5, retries: { attempts: 2, baseDelaySeconds: 0.01, maxDelaySeconds: 1 } },
        }),
      );
      const run = await cli('run', file, '--out', join(out, 'retry-after'), '--allow-private-network', '--quiet');
      for (const [path, header] of [
        ['/hostile/seconds', 'Retry-After: 3000000'],
        ['/hostile/date', 'Retry-After: Fri, 31 Dec 9999 23:59:59 GMT'],
      ] as const) {
        const a = attack('retry-after', `429 with ${header}, maxDelaySeconds: 1, attempts: 2, 3 deliveries`);
        const seen = site.requests.filter((r) => r.path === path).map((r) => r.at);
        // 3 deliveries of the task (the local driver's attempts), each the first try and 2 retries.
        a.check(seen.length === 9, `the site was asked ${seen.length} times, expected 9 (3 deliveries of 3 tries)`);
        for (let i = 1; i < seen.length; i++) {
          // The lower bound only: a busy machine makes the wait longer, never shorter.
          const gap = seen[i]! - seen[i - 1]!;
          a.check(gap >= 990, `request ${i + 1} came ${gap.toFixed(0)} ms after the one before, expected at least 1000`);
        }
      }
      const a = attack('retry-after', 'the run ends, failed, with both pages reported');
      a.check(run.code === 1, `collect run exited ${run.code}, expected 1: ${run.stderr}`);
      const reported = failuresIn(join(out, 'retry-after')).map((f) => String(f.message));
      a.check(reported.length === 2 && reported.every((m) => m.startsWith('HTTP 429')), `failures: ${reported.join('; ')}`);
    }
    for (const [tried, request, reason] of [
      [
        'retries.maxDelaySeconds: 3000000',
        { retries: { maxDelaySeconds: 3_000_000 } },
        'request.retries.maxDelaySeconds: must be at most 900, got 3000000',
      ],
      [
        'retries.baseDelaySeconds: 100000',
        { retries: { baseDelaySeconds: 100_000 } },
        'request.retries.baseDelaySeconds: must be at most 900, got 100000',
      ],
      ['rateLimit.perSecond: 0.0000001', { rateLimit: { perSecond: 0.0000001 } }, 'request.rateLimit.perSecond: must be at least 0.001'],
    ] as const) {
      const a = attack('delay', tried);
      const file = write(`delay-${attacks.length}`, base(site, { request }));
      const run = await cli('validate', file);
      a.check(run.code === 1 && run.stdout.includes(reason), `collect validate exited ${run.code}: ${run.stdout}`);
    }
    resetSite();
    return { attacks, requests, ms: performance.now() - t0 };
  } finally {
    await site.close();
  }
}
