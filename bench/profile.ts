// `npx tsx bench/profile.ts [--site books|articles] [--count N]`: runs our CLI on a
// bench site under `node --cpu-prof` and prints where its CPU went: the top
// functions by self time, and self time summed by package or by our source file.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { CRAWLERS, ROOT } from './crawlers.ts';
import { measure } from './measure.ts';
import { startSiteProcess } from './site-process.ts';
import type { SiteKind } from './sites/paths.ts';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface HotSpot {
  name: string;
  ms: number;
  share: number;
}

/** Where a script lives, as a short label: a package name, one of our files, or a Node internal. */
export function origin(url: string): string {
  if (url === '') return '(native / idle / GC)';
  if (url.startsWith('node:')) return url;
  const path = url.replace(/^file:\/\//, '');
  const nm = path.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const parts = path.slice(nm + 14).split('/');
    return parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
  }
  return path.startsWith(ROOT) ? relative(ROOT, path) : path;
}

/** Self time per function and per origin, from the samples of a .cpuprofile. */
export function hotSpots(profile: CpuProfile): { functions: HotSpot[]; origins: HotSpot[]; totalMs: number } {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => {
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  const fns = new Map<string, number>();
  const origins = new Map<string, number>();
  let total = 0;
  for (const [id, us] of self) {
    const n = byId.get(id)!;
    total += us;
    const o = origin(n.callFrame.url);
    const fn = `${n.callFrame.functionName || '(anonymous)'} ${o}${n.callFrame.url ? `:${n.callFrame.lineNumber + 1}` : ''}`;
    fns.set(fn, (fns.get(fn) ?? 0) + us);
    origins.set(o, (origins.get(o) ?? 0) + us);
  }
  const rank = (m: Map<string, number>): HotSpot[] =>
    [...m].map(([name, us]) => ({ name, ms: us / 1000, share: us / total })).sort((a, b) => b.ms - a.ms);
  return { functions: rank(fns), origins: rank(origins), totalMs: total / 1000 };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      site: { type: 'string', default: 'books' },
      count: { type: 'string', default: '1000' },
      top: { type: 'string', default: '25' },
    },
  });
  const site = values.site as SiteKind;
  const count = Number(values.count);
  const server = await startSiteProcess(site, count);
  const workDir = await mkdtemp(join(tmpdir(), 'collect-bench-prof-'));
  try {
    const ctx = { site, baseUrl: server.url, workDir, concurrency: 16 };
    const cmd = CRAWLERS.ours.command(ctx);
    const profDir = join(workDir, 'prof');
    // The profile needs Node's own flag, so the CLI goes through `node` here whatever its #! line says.
    const script = cmd.cmd === process.execPath ? cmd.args : [cmd.cmd, ...cmd.args];
    const m = await measure({ ...cmd, cmd: process.execPath, args: ['--cpu-prof', `--cpu-prof-dir=${profDir}`, ...script] });
    if (m.exitCode !== 0) throw new Error(`our CLI failed: ${m.stderr}`);
    const file = (await readdir(profDir)).find((f) => f.endsWith('.cpuprofile'))!;
    const { functions, origins, totalMs } = hotSpots(JSON.parse(await readFile(join(profDir, file), 'utf8')) as CpuProfile);
    const top = Number(values.top);
    const line = (h: HotSpot) => `${h.ms.toFixed(0).padStart(7)} ms ${(h.share * 100).toFixed(1).padStart(5)}%  ${h.name}`;
    console.log(
      `${server.pages} pages, wall ${(m.wallMs / 1000).toFixed(2)} s, CPU ${(m.userS + m.sysS).toFixed(2)} s, ` +
        `peak RSS ${(m.maxRssKiB / 1024).toFixed(0)} MiB; main-thread samples ${totalMs.toFixed(0)} ms`,
    );
    console.log('\nself time by origin:');
    for (const h of origins.slice(0, top)) console.log(line(h));
    console.log('\nself time by function:');
    for (const h of functions.slice(0, top)) console.log(line(h));
  } finally {
    await server.stop();
    await rm(workDir, { recursive: true, force: true });
  }
}

if (process.argv[1]?.endsWith('profile.ts')) await main();
