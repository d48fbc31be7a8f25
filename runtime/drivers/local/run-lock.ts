// One process at a time per run: a second `collect run --resume` of a run that
// is still going backs off instead of running the same tasks twice. The lock is
// a file holding the owner's pid; a lock whose process is gone is taken over.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

class RunLockedError extends Error {
  override readonly name = 'RunLockedError';
}

export function lockRun(runDir: string): () => void {
  const path = join(runDir, '_lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(path, String(process.pid), { flag: 'wx' });
      return () => rmSync(path, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = Number(readFileSync(path, 'utf8'));
      if (owner !== process.pid && alive(owner))
        throw new RunLockedError(`this run is being collected by process ${owner}; wait for it to end (or stop it) and resume then`);
      rmSync(path, { force: true });
    }
  }
  throw new RunLockedError(`cannot lock the run folder ${runDir}`);
}

function alive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
