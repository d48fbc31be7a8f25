// A local api.github.com that replays the recorded issue pages of
// test/fixtures/github-api/paginate-issues.json (octokit/fixtures, MIT),
// with the `Link` headers rewritten to point at itself.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { startSite, type RunningSite } from './books-site.ts';

interface Recorded {
  method: string;
  path: string;
  status: number;
  headers: Record<string, string>;
  response: unknown;
}

const FIXTURE = fileURLToPath(new URL('../../test/fixtures/github-api/paginate-issues.json', import.meta.url));

function githubSiteHandler(): (req: IncomingMessage, res: ServerResponse) => void {
  const recorded = JSON.parse(readFileSync(FIXTURE, 'utf8')) as Recorded[];
  return (req, res) => {
    const host = `http://${req.headers.host ?? '127.0.0.1'}`;
    const url = new URL(req.url ?? '/', host);
    const hit = recorded.find((r) => {
      const want = new URL(r.path, host);
      if (want.pathname !== url.pathname) return false;
      for (const [k, v] of want.searchParams) if (url.searchParams.get(k) !== v) return false;
      return true;
    });
    if (!hit) {
      res.writeHead(404, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify({ message: 'Not Found', documentation_url: 'https://docs.github.com/rest' }));
      return;
    }
    const body = JSON.stringify(hit.response);
    const headers: Record<string, string> = {
      'content-type': 'application/json; charset=utf-8',
      'content-length': String(Buffer.byteLength(body)),
    };
    if (hit.headers.link) headers.link = hit.headers.link.replaceAll('https://api.github.com', host);
    res.writeHead(hit.status, headers);
    res.end(body);
  };
}

export function startGithubSite(port = 0): Promise<RunningSite> {
  return startSite(githubSiteHandler(), port);
}
