// `collect run` with no silent surprises: a mistyped --var, a missing secret,
// --out s3://, records dropped as duplicates, --json.
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSite } from '../../demo/sites/books-site.ts';
import { runCommand } from '../../runtime/tools/cli/commands/run.ts';
import type { Collector } from '../../runtime/language/generated/collector.types.ts';
import { jsonCollector, tempDir } from '../helpers/collector.ts';
import { startJsonApi } from '../helpers/json-api.ts';
import { MOTO_REGION, motoClients, startMoto, uniqueName, type Moto } from '../helpers/moto.ts';
import { findFiles, readParts } from '../helpers/parts.ts';

let api: RunningSite;
let moto: Moto;
beforeAll(async () => {
  api = await startJsonApi({ total: 25, pageSize: 10 });
  moto = await startMoto();
});
afterAll(async () => {
  await api.close();
  await moto.stop();
});

function cli(cwd: string, env: Record<string, string | undefined> = {}) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const text = { out: '', err: '' };
  stdout.on('data', (c: Buffer) => (text.out += c.toString()));
  stderr.on('data', (c: Buffer) => (text.err += c.toString()));
  return { io: { stdout, stderr, cwd, env: { PATH: process.env.PATH, ...env } }, text };
}

/** A project folder with one collector file; returns the folder and the file's path. */
function project(collector: Collector): { dir: string; file: string } {
  const dir = tempDir('collect-run-');
  writeFileSync(join(dir, 'collect.config.yaml'), 'region: us-east-1\nenvironments: { dev: {} }\n');
  const file = join(dir, `${collector.name}.yaml`);
  writeFileSync(file, stringify(collector));
  return { dir, file };
}

const pages = (extra: Partial<Collector> = {}): Collector =>
  jsonCollector(`${api.url}/pages`, { name: 'test-api', paginate: { type: 'page-number' }, variables: { region: 'eu' }, ...extra });

describe('collect run --var', () => {
  it('refuses a variable the collector does not declare, naming the ones it does', async () => {
    const { dir, file } = project(pages());
    const { io } = cli(dir);
    await expect(runCommand.run([file, '--var', 'regoin=us', '--allow-private-network'], io)).rejects.toThrow(
      /--var regoin: test-api has no variable "regoin" \(did you mean "region"\?\); its variables are region/,
    );
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });

  it('refuses a value that would take the output or a URL path out of its place, before anything is written or fetched', async () => {
    const { dir, file } = project(
      pages({
        start: { urls: [`${api.url}/{{ kind }}`] },
        variables: { region: 'eu', kind: 'pages' },
        output: 's3://test-bucket/raw/{{ region }}',
      }),
    );
    const { io } = cli(dir);
    const before = api.hits.get('/pages') ?? 0;
    for (const [value, reason] of [
      [
        '../../../../escaped',
        /--var region: the value "\.\.\/\.\.\/\.\.\/\.\.\/escaped" of "region" \(used in the output location\) has a "\.\." segment/,
      ],
      ['/etc', /--var region: .* starts with "\/", an absolute path/],
      ['a\\..\\..\\b', /--var region: .* contains a backslash/],
      ['eu\u0007', /--var region: .* contains the control character U\+0007/],
    ] as const) {
      await expect(runCommand.run([file, '--var', `region=${value}`, '--allow-private-network'], io)).rejects.toThrow(reason);
    }
    await expect(runCommand.run([file, '--var', 'kind=../admin', '--allow-private-network'], io)).rejects.toThrow(
      /--var kind: the value "\.\.\/admin" of "kind" \(used in a start URL path\) has a "\.\." segment, which moves the request to another path of the site/,
    );
    expect(existsSync(join(dir, 'out'))).toBe(false);
    expect(readdirSync(join(dir, '..')).filter((name) => name === 'escaped')).toEqual([]);
    expect(api.hits.get('/pages') ?? 0).toBe(before);
  });
});

describe('collect run with secrets', () => {
  it('resolves every ${env:…} before the first request: a missing one is one error and no run folder', async () => {
    const collector = pages({ request: { headers: { Authorization: 'Bearer ${env:TEST_TOKEN}', 'X-Other': '${env:OTHER_TOKEN}' } } });
    const { dir, file } = project(collector);
    const before = api.hits.get('/pages') ?? 0;
    const { io } = cli(dir, { OTHER_TOKEN: 'x'.repeat(8) });
    await expect(runCommand.run([file, '--allow-private-network'], io)).rejects.toThrow(
      /\$\{env:TEST_TOKEN\}: environment variable TEST_TOKEN is not set/,
    );
    expect(api.hits.get('/pages') ?? 0).toBe(before);
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });

  it('names every missing secret at once', async () => {
    const collector = pages({ request: { headers: { Authorization: 'Bearer ${env:TEST_TOKEN}' }, query: { key: '${env:OTHER_TOKEN}' } } });
    const { dir, file } = project(collector);
    const { io } = cli(dir);
    await expect(runCommand.run([file, '--allow-private-network'], io)).rejects.toThrow(
      /2 secrets cannot be resolved:\n.*TEST_TOKEN.*\n.*OTHER_TOKEN/,
    );
  });
});

describe('collect run --out s3://', () => {
  it('writes the run to S3 with the keys and manifest the Lambda uses', async () => {
    const bucket = uniqueName('backfill');
    const { s3 } = motoClients(moto.endpoint);
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    const { dir, file } = project(pages());
    const { io, text } = cli(dir, {
      AWS_ENDPOINT_URL: moto.endpoint,
      AWS_REGION: MOTO_REGION,
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
    });
    const code = await runCommand.run([file, '--allow-private-network', '--out', `s3://${bucket}/backfill`], io);
    expect(text.err).toBe('');
    expect(code).toBe(0);
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
    const keys = (listed.Contents ?? []).map((o) => o.Key!).sort();
    // <root>/<collector's prefix>/dt=YYYY-MM-DD/run=<runId>/...
    const runPrefix = /^backfill\/raw\/test-api\/dt=\d{4}-\d{2}-\d{2}\/run=\d{8}T\d{6}Z-[0-9a-f]{6}\//;
    expect(keys.length).toBeGreaterThan(2);
    for (const key of keys) expect(key).toMatch(runPrefix);
    const names = keys.map((k) => k.replace(runPrefix, ''));
    expect(names).toContain('_manifest.json');
    expect(names).toContain('_run.json');
    expect(names.filter((n) => /^part-[0-9a-f]{16}\.jsonl\.gz$/.test(n)).length).toBe(1);
    const manifestKey = keys.find((k) => k.endsWith('_manifest.json'))!;
    const manifest = JSON.parse(
      await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: manifestKey }))).Body!.transformToString(),
    ) as { records: number; status: string; parts: string[] };
    expect(manifest).toMatchObject({ records: 25, status: 'succeeded' });
    const partKey = keys.find((k) => k.endsWith('.jsonl.gz'))!;
    const body = await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: partKey }))).Body!.transformToByteArray();
    expect(gunzipSync(body).toString('utf8').trim().split('\n')).toHaveLength(25);
    expect(manifest.parts).toEqual([partKey.replace(runPrefix, '')]);
    // The local out/ keeps only the run's checkpoint, no records.
    expect(findFiles(join(dir, 'out'), /\.jsonl\.gz$/)).toEqual([]);
  });
});

describe('collect run counts what it drops', () => {
  it('says how many records records.dedupeKey dropped, in the summary, the manifest and --json', async () => {
    // The API serves every item twice over two paths; the key keeps one of each.
    const collector = pages({ start: { urls: [`${api.url}/pages`, `${api.url}/pages?copy=1`] }, records: { dedupeKey: ['id'] } });
    const { dir, file } = project(collector);
    const { io, text } = cli(dir);
    expect(await runCommand.run([file, '--allow-private-network'], io)).toBe(0);
    expect(text.out).toMatch(/dropped +25 duplicates \(records\.dedupeKey\)/);
    const [manifest] = findFiles(join(dir, 'out'), /^_manifest\.json$/);
    expect(JSON.parse((await import('node:fs')).readFileSync(manifest!, 'utf8'))).toMatchObject({
      records: 25,
      dropped: { duplicate: 25 },
    });
    expect(readParts(join(dir, 'out'))).toHaveLength(25);

    const json = cli(dir);
    expect(await runCommand.run([file, '--allow-private-network', '--json', '--quiet'], json.io)).toBe(0);
    expect(JSON.parse(json.text.out)).toMatchObject({
      collector: 'test-api',
      status: 'succeeded',
      records: 25,
      dropped: { duplicate: 25 },
    });
  });

  it('never treats records without a key as duplicates of each other', async () => {
    // `nick` is declared but no item has one: every key is empty.
    const collector = pages({ records: { dedupeKey: ['nick'] } });
    collector.extract!.fields.nick = 'nick';
    const { dir, file } = project(collector);
    const { io, text } = cli(dir);
    expect(await runCommand.run([file, '--allow-private-network'], io)).toBe(0);
    expect(text.out).toMatch(/records +25/);
    expect(text.out).not.toMatch(/dropped/);
    expect(readdirSync(join(dir, 'out'))).toHaveLength(2); // the bucket folder and .collect
  });
});
