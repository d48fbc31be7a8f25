// `npm run demo`: the example collectors against local copies of their sites
// (real pages and API responses from test/fixtures), no internet needed.
// Runs the CLI exactly as a user would, writing ./out.
import { main } from '../runtime/cli/main.ts';
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
  process.stdout.write('\nRecords are in ./out (gzipped JSON Lines), with a _manifest.json per run.\n');
} finally {
  await books.close();
  await github.close();
}
process.exitCode = code;
