// One process at a time per run: a second `collect run --resume` of a run that
// is still going backs off instead of running the same tasks twice. The lock is
// a file holding the owner's pid; a lock whose process is gone is taken over.
// The pid is written aside and linked into place, so the lock never exists
// empty or half-written (a reader would take it for a dead owner's).
import { linkSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

class RunLockedError extends Error {
  override readonly name = 'RunLockedError';
}

export function lockRun(runDir: string): () => void {
  const path = join(runDir, '_lock');
  const aside = `${path}.${process.pid}.tmp`;
  try {
    for (let attempt = 0; attempt < 3; attempt++) {
      writeFileSync(aside, String(process.pid));
      try {
        linkSync(aside, path);
        return () => rmSync(path, { force: true });
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') continue;
        if (code !== 'EEXIST') throw err;
      }
      let owner: number;
      try {
        owner = Number(readFileSync(path, 'utf8'));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
        throw err;
      }
      if (owner !== process.pid && alive(owner))
        throw new RunLockedError(`this run is being collected by process ${owner}; wait for it to end (or stop it) and resume then`);
      rmSync(path, { force: true });
    }
  } finally {
    rmSync(aside, { force: true });
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
