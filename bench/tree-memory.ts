// Memory of a whole process tree, sampled from /proc: a browser crawl is many
// processes (Node, Chromium's browser, GPU, network and renderer processes),
// and what a machine must hold is their sum (each shared page once: PSS), not
// the largest one (which is all that wait4's ru_maxrss tells). Samples every `everyMs` until
// stopped; the peak and the memory at points of the run are read from them.
import { readdirSync, readFileSync } from 'node:fs';

const PAGE_KIB = 4;

export interface TreeSample {
  /** ms since sampling started. */
  t: number;
  rssKiB: number;
  processes: number;
}

export interface TreeMemory {
  samples: TreeSample[];
  stop(): TreeSample[];
}

/** Parent of every live process, from /proc/PID/stat (field 4). */
function parents(): Map<number, number> {
  const out = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // The command name (field 2) may hold spaces and parentheses: fields are counted after its closing one.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(Number(name), Number(fields[1]));
    } catch {
      // Gone between the listing and the read.
    }
  }
  return out;
}

/**
 * A process's share of memory: its proportional set size (each shared page counted once across
 * the processes that share it, so Chromium's processes are not counted several times over), or
 * its resident size where smaps_rollup cannot be read.
 */
function rssKiB(pid: number): number {
  try {
    const pss = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
    if (pss) return Number(pss[1]);
  } catch {
    // Not ours to read, or gone: try statm.
  }
  try {
    const resident = Number(readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1]);
    return resident * PAGE_KIB;
  } catch {
    return 0;
  }
}

/** One sample of the tree rooted at `root` (the root included). */
function sampleTree(root: number): { rssKiB: number; processes: number } {
  const byParent = new Map<number, number[]>();
  for (const [pid, parent] of parents()) {
    if (!byParent.has(parent)) byParent.set(parent, []);
    byParent.get(parent)!.push(pid);
  }
  let total = 0;
  let processes = 0;
  const stack = [root];
  while (stack.length) {
    const pid = stack.pop()!;
    total += rssKiB(pid);
    processes += 1;
    stack.push(...(byParent.get(pid) ?? []));
  }
  return { rssKiB: total, processes };
}

export function watchTree(root: number, everyMs = 250): TreeMemory {
  const samples: TreeSample[] = [];
  const started = performance.now();
  const take = () => samples.push({ t: performance.now() - started, ...sampleTree(root) });
  take();
  const timer = setInterval(take, everyMs);
  return {
    samples,
    stop() {
      clearInterval(timer);
      return samples;
    },
  };
}

export function peakMiB(samples: readonly TreeSample[]): number {
  return Math.max(0, ...samples.map((s) => s.rssKiB)) / 1024;
}

/** The tree's memory at a fraction of the run (the sample nearest to it), MiB. */
export function memoryAt(samples: readonly TreeSample[], fraction: number): number {
  if (samples.length === 0) return NaN;
  const end = samples[samples.length - 1]!.t;
  const target = end * fraction;
  let best = samples[0]!;
  for (const s of samples) if (Math.abs(s.t - target) < Math.abs(best.t - target)) best = s;
  return best.rssKiB / 1024;
}
