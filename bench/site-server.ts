// The bench's web site in a process of its own, so its CPU is not the crawler's:
//   node --import tsx bench/site-server.ts --site books --count 1000 --per-page 20
// prints one JSON line {"url": "...", "pages": N} on stdout once it listens, and
// exits when its stdin closes, so it never outlives the harness that started it.
// GET /__bench/urls answers every page of the crawl (listings, then details) as JSON.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseArgs } from 'node:util';
import { booksSiteHandler, startSite } from '../demo/sites/books-site.ts';
import { articlesSiteHandler } from './sites/articles-site.ts';
import { sitePaths, type SiteKind } from './sites/paths.ts';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      site: { type: 'string', default: 'books' },
      count: { type: 'string', default: '1000' },
      'per-page': { type: 'string', default: '20' },
    },
  });
  const site = values.site as SiteKind;
  if (site !== 'books' && site !== 'articles') throw new Error(`--site books|articles, not ${values.site}`);
  const count = Number(values.count);
  const perPage = Number(values['per-page']);
  const paths = sitePaths(site, count, perPage);
  const urlsBody = JSON.stringify(paths);
  const inner =
    site === 'books' ? booksSiteHandler({ detailCount: count, perPage }) : articlesSiteHandler({ articleCount: count, perPage });
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    if (req.url === '/__bench/urls') {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(urlsBody) });
      res.end(urlsBody);
      return;
    }
    inner(req, res);
  };
  const running = await startSite(handler);
  process.stdout.write(`${JSON.stringify({ url: running.url, pages: paths.length })}\n`);
  const stop = () => void running.close().then(() => process.exit(0));
  process.stdin.on('end', stop);
  process.stdin.on('close', stop);
  process.stdin.resume();
  process.on('SIGTERM', stop);
}

await main();
