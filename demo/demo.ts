// `npm run demo`: the example collectors against local copies of their sites
// (real pages and API responses from test/fixtures), no internet needed.
// Runs the CLI exactly as a user would, writing ./out.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { main } from '../runtime/tools/cli/main.ts';
import { startBooksSite } from './sites/books-site.ts';
import { startGithubSite } from './sites/github-site.ts';

const books = await startBooksSite();
const github = await startGithubSite();
const io = { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd(), env: process.env };
let code = 0;
try {
  process.stdout.write(`Local books.toscrape.com at ${books.url}, local api.github.com at ${github.url}\n`);
  process.stdout.write('\n$ collect validate collectors/\n');
  code ||= await main(['validate', 'collectors/'], io);
  process.stdout.write(`\n$ collect run collectors/books-toscrape.yaml --var base_url=${books.url} --allow-private-network\n`);
  code ||= await main(['run', 'collectors/books-toscrape.yaml', '--var', `base_url=${books.url}`, '--allow-private-network'], io);
  process.stdout.write(`\n$ collect run collectors/github-issues.yaml --var api_url=${github.url} --allow-private-network\n`);
  code ||= await main(['run', 'collectors/github-issues.yaml', '--var', `api_url=${github.url}`, '--allow-private-network'], io);
  process.stdout.write('\nRecords are in ./out (gzipped JSON Lines), with a _manifest.json per run. The first of each run:\n');
  for (const collector of ['books-toscrape', 'github-issues']) {
    const record = firstRecord(join('out', 'example-data-lake', 'raw', collector));
    if (record) process.stdout.write(`  ${collector}: ${JSON.stringify(record)}\n`);
  }
} finally {
  await books.close();
  await github.close();
}
process.exitCode = code;

/** The first record of the newest run under a collector's output folder. */
function firstRecord(dir: string): unknown {
  const newest = (d: string) =>
    readdirSync(d)
      .filter((n) => statSync(join(d, n)).isDirectory())
      .sort()
      .at(-1);
  const dt = newest(dir);
  const run = dt && newest(join(dir, dt));
  if (!dt || !run) return undefined;
  const runDir = join(dir, dt, run);
  const part = readdirSync(runDir)
    .filter((n) => n.endsWith('.jsonl.gz'))
    .sort()[0];
  if (!part) return undefined;
  const line = gunzipSync(readFileSync(join(runDir, part)))
    .toString('utf8')
    .split('\n')[0];
  return line ? (JSON.parse(line) as unknown) : undefined;
}
