// Ctrl-C in the middle of `npx collect run`: the process says how to go on,
// and `--resume` then ends with exactly the records of an uninterrupted run.
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonCollector, tempDir } from '../helpers/collector.ts';
import { readParts } from '../helpers/parts.ts';

const PAGES = 30;
let server: Server;
let url: string;
let served = 0;

beforeAll(async () => {
  // A slow API: 30 pages of 5 items, one page every 50 ms, so a run lasts long enough to interrupt.
  server = createServer((req, res) => {
    const page = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('page') ?? 1);
    served++;
    const items = page <= PAGES ? Array.from({ length: 5 }, (_, i) => ({ id: (page - 1) * 5 + i + 1, name: `item ${page}.${i}` })) : [];
    setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ items })), 50);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/items`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const bin = resolve('bin/collect.mjs');

function collect(cwd: string, ...args: string[]) {
  const child = spawn(process.execPath, [bin, ...args], { cwd, env: { ...process.env, INIT_CWD: '' } });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return { child, exited, stderr: () => stderr };
}

describe('collect run, interrupted', () => {
  it('says how to resume, and the resumed run has every record once', async () => {
    const dir = tempDir('collect-interrupt-');
    writeFileSync(join(dir, 'collect.config.yaml'), 'region: us-east-1\nenvironments: { dev: {} }\n');
    // One page per task, so the interrupted run has finished tasks to keep.
    const collector = jsonCollector(url, { name: 'slow-api', paginate: { type: 'page-number' }, scaling: { pagesPerTask: 1 } });
    writeFileSync(join(dir, 'slow-api.yaml'), stringify(collector));

    const first = collect(dir, 'run', 'slow-api.yaml', '--allow-private-network');
    const start = served;
    while (served - start < 6) await new Promise((r) => setTimeout(r, 20));
    first.child.kill('SIGINT');
    expect(await first.exited).toBe(130);
    expect(first.stderr()).toMatch(/interrupted after \d+ pages and \d+ records; .*\n {2}npx collect run slow-api\.yaml --resume\n/);

    const second = collect(dir, 'run', 'slow-api.yaml', '--allow-private-network', '--resume');
    expect(await second.exited).toBe(0);
    const ids = readParts(join(dir, 'out')).map((r) => r.id as number);
    expect(ids.sort((a, b) => a - b)).toEqual(Array.from({ length: PAGES * 5 }, (_, i) => i + 1));
  });

  it('refuses to resume a collector edited since its run started, unless forced', async () => {
    const dir = tempDir('collect-interrupt-edit-');
    writeFileSync(join(dir, 'collect.config.yaml'), 'region: us-east-1\nenvironments: { dev: {} }\n');
    const collector = jsonCollector(url, { name: 'slow-api', paginate: { type: 'page-number' }, scaling: { pagesPerTask: 1 } });
    writeFileSync(join(dir, 'slow-api.yaml'), stringify(collector));
    const first = collect(dir, 'run', 'slow-api.yaml', '--allow-private-network');
    const start = served;
    while (served - start < 4) await new Promise((r) => setTimeout(r, 20));
    first.child.kill('SIGINT');
    expect(await first.exited).toBe(130);

    writeFileSync(join(dir, 'slow-api.yaml'), stringify({ ...collector, description: 'edited after the run started' }));
    const refused = collect(dir, 'run', 'slow-api.yaml', '--allow-private-network', '--resume');
    expect(await refused.exited).not.toBe(0);
    expect(refused.stderr()).toMatch(/slow-api changed since run \S+ started; .*--force/);

    const forced = collect(dir, 'run', 'slow-api.yaml', '--allow-private-network', '--resume', '--force');
    expect(await forced.exited).toBe(0);
    const ids = readParts(join(dir, 'out')).map((r) => r.id as number);
    expect(new Set(ids).size).toBe(PAGES * 5);
    expect(ids.length).toBe(PAGES * 5);
  });
});
