// Secrets never leave the request. One collector sends `${env:SECRET_TOKEN}` in
// a header and in a query parameter, to a site where one listing page is
// missing (404) and one serves malformed JSON, so that error reports exist. It
// runs three ways: `collect run` (CLI output and every file under --out),
// `collect record`'s recorder (the HAR), and the Lambda handler on moto
// (captured logs, SQS messages, every S3 object and its metadata). Every byte is
// searched for the secret, verbatim and in the encoded forms a URL, a form body
// or JSON would give it.
//
// The token holds "/", "+", "=" and a space on purpose: in a query string they
// are percent-encoded, so a redaction that knows only the verbatim value misses them.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { secretForms as resolverForms } from '../../runtime/core/secrets.ts';
import { recordRun } from '../../runtime/tools/review/session.ts';
import { loadCollectorFile } from '../../runtime/language/load.ts';
import { getBytes, listKeys } from '../aws/s3-read.ts';
import { tempDir } from '../helpers/collector.ts';
import { drainQueue } from '../helpers/esm-driver.ts';
import { startFaultSite, type FaultSite } from '../helpers/fault-site.ts';
import { motoClients, startMoto } from '../helpers/moto.ts';
import { findFiles } from '../helpers/parts.ts';
import { captureOutput, deploy, lambdaContext } from '../lambda/support.ts';
import { runCliInProcess } from './cli.ts';
import { caseChecker, type CaseResult } from './verdict.ts';

export const SECRET = 'sk_live/Zm9v+YmFy=cXV4 T0k3n';

/**
 * Every form the secret could take in text the runtime writes or a site echoes:
 * the resolver's own list (verbatim, URL- and form-encoded, base64, JSON-escaped)
 * and fragments that no encoding changes, long enough to mean something alone.
 */
export function secretForms(secret: string = SECRET): string[] {
  return [...new Set([...resolverForms(secret), encodeURI(secret), 'Zm9v', 'cXV4', 'T0k3n'])];
}

/** The forms of the secret found in a text, if any. */
export function leaks(text: string): string[] {
  return secretForms().filter((form) => text.includes(form));
}

const collectorYaml = (site: FaultSite) => `name: secrets
start:
  urls:
    - ${site.at('/s/list/1')}
    - ${site.at('/s/missing')}
    - ${site.at('/s/broken')}
parse: json
extract:
  items: items
  fields:
    id: { path: id, type: integer, required: true }
    link: { path: link, type: url }
    echo: echo
    self: { path: self, type: url }
    page_url: { context: url }
paginate: { type: next-link, path: next }
scaling: { pagesPerTask: 1 }
follow:
  field: link
  parse: html
  extract:
    fields:
      title: { selector: h1, required: true }
request:
  headers:
    Authorization: "Bearer \${env:SECRET_TOKEN}"
    X-Client-Token: "\${env:SECRET_TOKEN}"
  query:
    token: "\${env:SECRET_TOKEN}"
  timeoutSeconds: 2
  retries: { attempts: 1, baseDelaySeconds: 0.01, maxDelaySeconds: 0.05 }
network: { allow: ["127.0.0.1"] }
output: s3://secrets-lake/secrets
`;

function siteRoutes(site: FaultSite): void {
  const json = (res: import('node:http').ServerResponse, status: number, body: string, type = 'application/json') => {
    res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
    res.end(body);
  };
  // The listing echoes the secret back, as careless APIs do: in a field, in a self link, and in its next link.
  site.route('/s/list/*', (_req, res, ctx) => {
    const page = Number(ctx.url.pathname.split('/').pop());
    const token = ctx.url.searchParams.get('token') ?? '';
    const echo = (id: number) => ({
      echo: `authorised as ${token}`,
      self: `${site.at(`/s/list/${page}`)}?token=${encodeURIComponent(token)}&id=${id}`,
    });
    const ids = page === 1 ? [1, 2, 3, 4] : [5];
    const items = ids.map((id) => ({ id, link: id === 4 ? '/s/item/gone' : `/s/item/${id}`, ...echo(id) }));
    json(res, 200, JSON.stringify({ items, ...(page === 1 ? { next: `/s/list/2?token=${encodeURIComponent(token)}` } : {}) }));
  });
  site.route('/s/missing', (_req, res) => json(res, 404, '{"message":"not found"}'));
  site.route('/s/broken', (_req, res) => json(res, 200, '{"items": [{"id": 9},'));
  site.route('/s/item/gone', (_req, res) => json(res, 410, 'gone', 'text/plain'));
  site.route('/s/item/*', (_req, res, ctx) => json(res, 200, `<h1>item ${ctx.url.pathname.split('/').pop()}</h1>`, 'text/html'));
}

/** Every request the site saw carried the secret where the collector put it (else the test proves nothing). */
function secretWasSent(site: FaultSite, check: (ok: boolean, message: string) => void): void {
  const listings = site.requests.filter((r) => r.path.startsWith('/s/list') || r.path === '/s/missing' || r.path === '/s/broken');
  check(listings.length >= 3, `only ${listings.length} listing requests`);
  for (const r of listings) {
    check(new URL(r.url, site.url).searchParams.get('token') === SECRET, `${r.path}: the query did not carry the secret`);
    check(r.headers.authorization === `Bearer ${SECRET}`, `${r.path}: the Authorization header did not carry the secret`);
  }
  const details = site.requests.filter((r) => r.path.startsWith('/s/item/'));
  check(details.length >= 4 && details.every((r) => r.headers['x-client-token'] === SECRET), 'detail requests did not carry the header');
}

function readAllText(dir: string): { files: number; text: string } {
  const files = findFiles(dir, /./);
  const text = files
    .map((f) => {
      const data = readFileSync(f);
      return `${f}\n${f.endsWith('.gz') ? gunzipSync(data).toString('utf8') : data.toString('utf8')}`;
    })
    .join('\n');
  return { files: files.length, text };
}

export interface SecretsReport {
  cases: CaseResult[];
  /** Files, log lines, HAR entries, S3 objects and messages searched. */
  searched: number;
  /** Bytes searched. */
  bytes: number;
}

export async function runSecrets(): Promise<SecretsReport> {
  const site = await startFaultSite();
  siteRoutes(site);
  const cases: CaseResult[] = [];
  let searched = 0;
  let bytes = 0;
  const search = (name: string, text: string, items: number, extra: (check: (ok: boolean, message: string) => void) => void) => {
    const { result, check } = caseChecker(name);
    const found = leaks(text);
    check(found.length === 0, `the secret appears as ${found.map((f) => JSON.stringify(f)).join(', ')}`);
    extra(check);
    searched += items;
    bytes += Buffer.byteLength(text);
    cases.push(result);
  };
  try {
    const dir = tempDir('collect-secrets-');
    const file = join(dir, 'secrets.yaml');
    writeFileSync(file, collectorYaml(site));
    const env = { SECRET_TOKEN: SECRET };

    // 1. collect run: the CLI's own output and every file it leaves under --out.
    site.reset();
    const out = join(dir, 'out');
    const cli = await runCliInProcess(['run', file, '--out', out], { cwd: dir, env });
    const local = readAllText(out);
    search('collect run: summary on stdout and stderr', cli.stdout + cli.stderr, 1, (check) => {
      check(cli.code === 1, `exit code ${cli.code}, expected 1`);
      check(/failed: .*s\/missing/.test(cli.stdout), 'the summary does not list the failed page');
    });
    search('collect run: manifest, _errors/, parts, checkpoint, run index', local.text, local.files, (check) => {
      check(
        local.text.includes('/_errors/') && local.text.includes('_manifest.json') && local.text.includes('_checkpoint'),
        'some of the run files are missing',
      );
      check(local.text.includes('[REDACTED]'), 'nothing was redacted, so no error report carried the URL');
      check(/HttpStatusError/.test(local.text) && /ParseError/.test(local.text), 'the error report lacks the 404 or the malformed JSON');
      check(local.text.includes('authorised as [REDACTED]'), 'the echoed secret did not reach a record (or was not redacted there)');
      check(local.text.includes('"id":5'), 'the next page, whose link carried the secret, was not collected');
      secretWasSent(site, check);
    });

    // 1b. collect try and collect explain: what they print.
    site.reset();
    const tried = await runCliInProcess(['try', file, '--details', '3'], { cwd: dir, env });
    search('collect try: the page, its records, detail pages and the next page it prints', tried.stdout + tried.stderr, 1, (check) => {
      check(tried.stdout.includes('authorised as [REDACTED]'), 'try did not print the echoed field, redacted');
      check(/s\/list\/2/.test(tried.stdout), 'try did not print the next page');
      const first = site.requests.find((r) => r.path === '/s/list/1');
      check(first !== undefined && new URL(first.url, site.url).searchParams.get('token') === SECRET, 'try did not send the secret');
    });
    const explained = await runCliInProcess(['explain', file, '--format', 'json'], { cwd: dir, env });
    search('collect explain', explained.stdout + explained.stderr, 1, (check) =>
      check(explained.code === 0, `explain exited ${explained.code}`),
    );

    // 1c. collect record as a user runs it: the HAR and the expected records meant for git.
    site.reset();
    const recordedCli = await runCliInProcess(['record', file], { cwd: dir, env });
    const written = ['secrets.har', 'secrets.expected.jsonl'].map((f) => join(dir, f));
    const recordedFiles = written.filter((f) => existsSync(f)).map((f) => `${f}\n${readFileSync(f, 'utf8')}`);
    search(
      'collect record: secrets.har and secrets.expected.jsonl, and what it prints',
      recordedFiles.join('\n') + recordedCli.stdout + recordedCli.stderr,
      recordedFiles.length + 1,
      (check) => {
        check(
          recordedFiles.length === 2,
          `record wrote ${recordedFiles.length} of its 2 files (exit ${recordedCli.code}: ${recordedCli.stderr.slice(0, 300)})`,
        );
        check(recordedFiles.join('\n').includes('authorised as [REDACTED]'), 'the expected records lack the echoed field, redacted');
        secretWasSent(site, check);
      },
    );

    // 2. collect record: the HAR, with the failed exchanges in it.
    site.reset();
    const loaded = await loadCollectorFile(file);
    const recorded = await recordRun({ loaded, env, allowPrivateNetwork: false });
    const har = JSON.stringify(recorded.har);
    search('collect record: HAR file', har, recorded.har.log.entries.length, (check) => {
      check(recorded.har.log.entries.length >= 7, `only ${recorded.har.log.entries.length} HAR entries`);
      check(
        recorded.har.log.entries.some((e) => e._error !== undefined || e.response.status >= 400),
        'no failed exchange was recorded',
      );
      secretWasSent(site, check);
    });
    search(
      'collect record: run result and failures',
      JSON.stringify({ failures: recorded.run.failures, manifest: recorded.run.manifest }),
      recorded.run.failures.length + 1,
      (check) => {
        check(recorded.run.failures.length >= 3, `only ${recorded.run.failures.length} failures`);
      },
    );

    // 3. Lambda on moto: logs, messages, S3 objects and their metadata.
    site.reset();
    const moto = await startMoto();
    try {
      const aws = motoClients(moto.endpoint);
      const spec = loaded.collector;
      const dep = await deploy(aws, [{ collector: spec, hash: loaded.hash }], {
        env: { ...env, POWERTOOLS_LOG_LEVEL: 'DEBUG' },
        allowPrivateNetwork: false,
        maxReceiveCount: 2,
      });
      const output = captureOutput();
      let received: string[] = [];
      try {
        await dep.handler({ collector: 'secrets', scheduledTime: '2024-09-01T00:00:00Z' }, lambdaContext());
        const report = await drainQueue({
          sqs: aws.sqs,
          queueUrl: dep.queues.secrets!.url,
          handler: dep.handler,
          batchSize: 3,
          concurrency: 1,
        });
        received = report.received;
      } finally {
        output.restore();
        await dep.handler.close();
      }
      const logs = output.text();
      search('Lambda: logs at DEBUG (stdout and stderr)', logs, logs.split('\n').length, (check) => {
        check(/"level":"(WARN|ERROR)"/.test(logs), 'no warning or error was logged');
        check(logs.includes('[REDACTED]'), 'no log line carried a redacted URL');
      });
      search('Lambda: SQS message bodies', received.join('\n'), received.length, (check) =>
        check(received.length >= 3, `only ${received.length} messages`),
      );
      const keys = await listKeys(aws.s3, dep.bucket);
      const objects = await Promise.all(
        keys.map(async (k) => {
          const data = await getBytes(aws.s3, dep.bucket, k);
          return `${k}\n${k.endsWith('.gz') ? gunzipSync(data).toString('utf8') : data.toString('utf8')}`;
        }),
      );
      search('Lambda: S3 objects (parts and error reports)', objects.join('\n'), keys.length, (check) => {
        check(
          keys.some((k) => k.includes('/_errors/')),
          'no error report was written',
        );
        check(objects.join('\n').includes('[REDACTED]'), 'no error report carried a redacted URL');
      });
      const heads = await Promise.all(keys.map((k) => aws.s3.send(new HeadObjectCommand({ Bucket: dep.bucket, Key: k }))));
      search('Lambda: S3 object metadata', JSON.stringify(heads.map((h) => h.Metadata ?? {})), keys.length, (check) => {
        check(
          heads.some((h) => Object.keys(h.Metadata ?? {}).length > 0),
          'no part carried metadata',
        );
        secretWasSent(site, check);
      });
    } finally {
      await moto.stop();
    }
    return { cases, searched, bytes };
  } finally {
    await site.close();
  }
}
