// Where a project's default paths live. A command run from a subfolder (or by
// `npm run collect --`, which moves to the package root) still finds
// `collectors/`, `collect.config.yaml`, `deploy/terraform` and `out/` at the
// project's root; paths the user types are read from where the user stands.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** Files or folders that mark a project's root, in order of trust. */
const MARKERS = ['collect.config.yaml', 'collectors'] as const;

const roots = new Map<string, string>();

/** The nearest folder at or above `cwd` holding a marker; `cwd` itself when none does. */
export function projectRoot(cwd: string): string {
  const start = resolve(cwd);
  const cached = roots.get(start);
  if (cached) return cached;
  let found = start;
  for (let dir = start; ; dir = dirname(dir)) {
    if (MARKERS.some((m) => existsSync(join(dir, m)))) {
      found = dir;
      break;
    }
    if (dirname(dir) === dir) break;
  }
  roots.set(start, found);
  return found;
}

/** A default path of the project (`collectors`, `out`), absolute. */
export function projectPath(cwd: string, relativePath: string): string {
  return resolve(projectRoot(cwd), relativePath);
}

/**
 * The folder the user typed the command in. `npm run` starts scripts in the
 * package root and keeps the caller's folder in INIT_CWD; anywhere else
 * INIT_CWD is a leftover of some outer npm process and is ignored.
 */
export function userCwd(processCwd: string, env: Readonly<Record<string, string | undefined>>, packageRoot: string): string {
  const init = env.INIT_CWD;
  if (!init || resolve(processCwd) !== resolve(packageRoot)) return processCwd;
  const inside = resolve(init) === resolve(packageRoot) || resolve(init).startsWith(`${resolve(packageRoot)}/`);
  return inside ? init : processCwd;
}
