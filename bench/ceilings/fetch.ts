// Fetch-only ceiling: every page of the site over HTTP, 16 at a time, bodies read
// as text and not parsed. Prints one JSON line of CeilingFigure[].
//   BENCH_SITE_URL=http://127.0.0.1:N BENCH_PASSES=3 node --import tsx bench/ceilings/fetch.ts
import { Agent, request } from 'undici';
import { HttpFetcher, resolvePolicy } from '../../runtime/core/fetch/index.ts';
import { resolveRequest } from '../../runtime/language/resolve.ts';
import { cpuSeconds, type CeilingFigure } from './corpus.ts';

const siteUrl = process.env.BENCH_SITE_URL!;
const passes = Number(process.env.BENCH_PASSES ?? 3);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 16);
const paths = (await (await fetch(`${siteUrl}/__bench/urls`)).json()) as string[];
const urls = paths.map((p) => siteUrl + p);

async function pool(get: (url: string) => Promise<number>): Promise<number> {
  let next = 0;
  let bytes = 0;
  const worker = async () => {
    while (next < urls.length) bytes += await get(urls[next++]!);
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return bytes;
}

const dispatcher = new Agent({ connections: concurrency });
const undiciGet = async (url: string) => {
  const res = await request(url, { dispatcher });
  const text = await res.body.text();
  return text.length;
};
const fetcher = new HttpFetcher();
const policy = resolvePolicy(resolveRequest({ rateLimit: { concurrency } }), { allowPrivateNetwork: true });
const oursGet = async (url: string) => (await fetcher.fetch({ url, method: 'GET', headers: {} }, policy)).bytes;

const results: CeilingFigure[] = [];
for (const [name, get] of [
  ['undici request, body as text', undiciGet],
  ['our HttpFetcher (runtime/core/fetch)', oursGet],
] as const) {
  await pool(get); // warm-up: connections, JIT
  let bytes = 0;
  const t = await cpuSeconds(async () => {
    for (let i = 0; i < passes; i++) bytes += await pool(get);
  });
  results.push({ name, pages: urls.length * passes, cpuS: t.cpuS, wallS: t.wallS, bytes });
}
await dispatcher.close();
await fetcher.close();
process.stdout.write(`${JSON.stringify(results)}\n`);
