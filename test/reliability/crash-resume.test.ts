// A local run killed with SIGKILL at random points and started again with
// --resume ends with exactly the records of an uninterrupted run, none twice.
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBooksSite, type RunningSite } from '../../demo/sites/books-site.ts';
import { tempDir } from '../helpers/collector.ts';
import { findFiles, readParts } from '../helpers/parts.ts';

let site: RunningSite;
beforeAll(async () => {
  // A little latency per page, so that kills land in the middle of the work.
  site = await startBooksSite({
    detailCount: 120,
    perPage: 10,
    intercept: (_req, res) => {
      const write = res.writeHead.bind(res);
      res.writeHead = ((...args: Parameters<typeof res.writeHead>) => {
        const t = Date.now() + 3;
        while (Date.now() < t);
        return write(...args);
      }) as typeof res.writeHead;
      return false;
    },
  });
});
afterAll(() => site.close());

const spec = (url: string) => `
name: crash
start: { urls: ["${url}/catalogue/page-1.html"] }
parse: html
extract:
  items: article.product_pod
  fields:
    title: { selector: h3 a, attr: title }
    url: { selector: h3 a, attr: href, type: url }
follow:
  field: url
  extract: { fields: { upc: "table tr:nth-child(1) td" } }
paginate: { type: next-link, selector: li.next a }
records: { dedupeKey: [url] }
scaling: { pagesPerTask: 2 }
output: s3://crash/books
`;

function runCli(args: string[], killAfterMs?: number): Promise<number | null> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['bin/collect.mjs', 'run', ...args, '--quiet', '--allow-private-network'], { stdio: 'ignore' });
    const timer = killAfterMs !== undefined ? setTimeout(() => child.kill('SIGKILL'), killAfterMs) : undefined;
    child.on('exit', (code) => {
      if (timer) clearTimeout(timer);
      resolve(code);
    });
  });
}

/** A small seeded generator, so a failing crash point can be replayed. */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('crash and --resume', () => {
  it('ends with exactly the records of an uninterrupted run after SIGKILLs at random points', async () => {
    const dir = tempDir();
    const file = join(dir, 'crash.yaml');
    writeFileSync(file, spec(site.url));

    const cleanOut = join(dir, 'clean');
    expect(await runCli([file, '--out', cleanOut])).toBe(0);
    const expected = readParts(cleanOut).map((r) => r.url as string).sort();
    expect(expected).toHaveLength(120);

    const random = mulberry32(20261125);
    const crashOut = join(dir, 'crashed');
    let kills = 0;
    let code = await runCli([file, '--out', crashOut], 400 + Math.floor(random() * 800));
    for (let round = 0; round < 8 && code !== 0; round++) {
      kills++;
      const resumable = existsSync(join(crashOut, '.collect', 'runs', 'crash.json'));
      const args = resumable ? [file, '--out', crashOut, '--resume'] : [file, '--out', crashOut];
      code = await runCli(args, round < 3 ? 500 + Math.floor(random() * 900) : undefined);
    }
    const got = readParts(crashOut).map((r) => r.url as string).sort();
    const story = `kills=${kills} code=${code} records=${got.length} unique=${new Set(got).size}`;
    expect(code, story).toBe(0);
    expect(kills, story).toBeGreaterThan(0);
    expect(got, story).toEqual(expected);
    expect(new Set(got).size).toBe(got.length);
    expect(findFiles(crashOut, /\.tmp$/)).toEqual([]);
  }, 120_000);
});
