// The rendered site (bench/sites/rendered-site.ts) in a process of its own, so
// its CPU is not the crawler's:
//   node --import tsx bench/rendered-server.ts --count 476 --per-page 20
// prints one JSON line {"url": "...", "pages": N} once it listens, and exits
// when its stdin closes.
import { parseArgs } from 'node:util';
import { startSite } from '../demo/sites/books-site.ts';
import { renderedPaths, renderedSiteHandler } from './sites/rendered-site.ts';

const { values } = parseArgs({ options: { count: { type: 'string', default: '476' }, 'per-page': { type: 'string', default: '20' } } });
const count = Number(values.count);
const perPage = Number(values['per-page']);
const running = await startSite(renderedSiteHandler({ count, perPage }));
process.stdout.write(`${JSON.stringify({ url: running.url, pages: renderedPaths(count, perPage).length })}\n`);
const stop = () => void running.close().then(() => process.exit(0));
process.stdin.on('end', stop);
process.stdin.on('close', stop);
process.stdin.resume();
process.on('SIGTERM', stop);
