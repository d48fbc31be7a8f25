// Runs one program as a child and measures it as the kernel sees it: wall time,
// user and system CPU, and peak resident memory (ru_maxrss from wait4 on that
// child). Node cannot read a child's rusage, so a few lines of Python wait for
// it; Python is on every machine of this project and its own cost is not counted.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Measured {
  wallMs: number;
  userS: number;
  sysS: number;
  /** Peak resident set size of the child, KiB. */
  maxRssKiB: number;
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface ChildCommand {
  cmd: string;
  args: string[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Killed after this long. Default 10 minutes. */
  timeoutMs?: number;
  /** Told the pid of the process tree's root once it runs (the wrapper that waits for the program). */
  onStart?: (pid: number) => void;
}

const WAIT4 = `
import json, os, subprocess, sys, time
out, cmd = sys.argv[1], sys.argv[2:]
t0 = time.monotonic()
child = subprocess.Popen(cmd)
_, status, ru = os.wait4(child.pid, 0)
wall = time.monotonic() - t0
with open(out, "w") as f:
    json.dump({"wallMs": wall * 1000, "userS": ru.ru_utime, "sysS": ru.ru_stime,
               "maxRssKiB": ru.ru_maxrss, "exitCode": os.waitstatus_to_exitcode(status)}, f)
`;

export function python(): string {
  return existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
}

const KEEP = 64 * 1024;

export async function measure(command: ChildCommand): Promise<Measured> {
  const dir = await mkdtemp(join(tmpdir(), 'collect-bench-m-'));
  const file = join(dir, 'rusage.json');
  try {
    const child = spawn(python(), ['-c', WAIT4, file, command.cmd, ...command.args], {
      cwd: command.cwd,
      env: command.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group, so a timeout ends the crawler too, not only the wrapper.
      detached: true,
    });
    if (child.pid !== undefined) command.onStart?.(child.pid);
    let stdout = '';
    let stderr = '';
    // Keep the tail: a failing program says why at the end.
    child.stdout.on('data', (d: Buffer) => (stdout = (stdout + d.toString()).slice(-KEEP)));
    child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-KEEP)));
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    }, command.timeoutMs ?? 600_000);
    const code = await new Promise<number>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (c) => resolve(c ?? 1));
    });
    clearTimeout(timer);
    if (!existsSync(file)) {
      return {
        wallMs: NaN,
        userS: NaN,
        sysS: NaN,
        maxRssKiB: NaN,
        exitCode: code || 1,
        stdout,
        stderr: `${stderr}\n(killed or not started)`,
      };
    }
    const r = JSON.parse(await readFile(file, 'utf8')) as Omit<Measured, 'stdout' | 'stderr'>;
    return { ...r, stdout, stderr };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
