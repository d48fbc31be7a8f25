// The bench shares its machine; another process busy on one of two cores halves
// a crawler's wall time figure. Before each timed run, wait (a while) for the
// machine to go quiet, and say how busy it was.
import { existsSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/** Busy and total jiffies of all CPUs, from /proc/stat's first line. */
export function cpuTimes(stat: string): { busy: number; total: number } {
  const fields = stat.split('\n', 1)[0]!.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal: idle and iowait are not busy.
  const total = fields.slice(0, 8).reduce((a, b) => a + b, 0);
  const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
  return { busy: total - idle, total };
}

/** Cores kept busy between two readings of /proc/stat. */
export function busyCores(before: { busy: number; total: number }, after: { busy: number; total: number }, cores: number): number {
  const total = after.total - before.total;
  return total > 0 ? ((after.busy - before.busy) / total) * cores : 0;
}

/**
 * Waits until less than `threshold` cores are busy over a quarter second, at most
 * `maxWaitMs`; returns the busy cores of the last sample (0 where /proc/stat is missing).
 */
export async function waitForQuiet(cores: number, threshold = 0.3, maxWaitMs = 20_000): Promise<number> {
  if (!existsSync('/proc/stat')) return 0;
  const deadline = Date.now() + maxWaitMs;
  for (;;) {
    const a = cpuTimes(readFileSync('/proc/stat', 'utf8'));
    await sleep(250);
    const busy = busyCores(a, cpuTimes(readFileSync('/proc/stat', 'utf8')), cores);
    if (busy < threshold || Date.now() >= deadline) return busy;
  }
}
