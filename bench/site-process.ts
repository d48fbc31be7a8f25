// Starts bench/site-server.ts as a process of its own and stops it again.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { SiteKind } from './sites/paths.ts';

export interface SiteProcess {
  url: string;
  /** Pages a full crawl fetches. */
  pages: number;
  pid: number;
  stop(): Promise<void>;
}

const SERVER = fileURLToPath(new URL('./site-server.ts', import.meta.url));

export async function startSiteProcess(site: SiteKind, count: number, perPage = 20): Promise<SiteProcess> {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', SERVER, '--site', site, '--count', String(count), '--per-page', String(perPage)],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const lines = createInterface({ input: child.stdout! });
  const first = await new Promise<string>((resolve, reject) => {
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`site server exited (${code}) before it listened`)));
    child.once('error', reject);
  });
  const { url, pages } = JSON.parse(first) as { url: string; pages: number };
  return {
    url,
    pages,
    pid: child.pid!,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.stdin!.end();
        setTimeout(() => child.kill('SIGKILL'), 5000).unref();
      }),
  };
}
