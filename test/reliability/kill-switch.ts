// Deterministic kill points for the crash scenarios (crash-points.ts): loaded
// into a `collect run` child process with `node --import` (built to plain
// JavaScript by crash-points.ts), it counts the process's file-system writes
// under one folder and SIGKILLs the process at the N-th one: before it, after
// it, or in the middle of it (half the bytes written: a torn line). Nothing in
// the product knows about it; it wraps the `fs` and `fs/promises` functions
// the runtime reaches (the runtime imports them by name, so the ES module
// bindings are synced after wrapping).
//
// Counted, when their path (or the file behind their descriptor) is under the
// folder: opening a file for writing, write, writev, writeFile, appendFile,
// rename, link, copyFile, truncate, ftruncate, rm and unlink (sync, callback
// and promise forms). Every counted write is logged as one JSON line
// (`WriteEntry`) to a file outside the folder; the write the process dies at
// has `kill` set.
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { isAbsolute, relative, resolve } from 'node:path';

/** The environment the switch reads; without `root` and `log` it does nothing. */
export const KILL_ENV = {
  /** Writes to paths under this folder are counted. */
  root: 'COLLECT_KILL_ROOT',
  /** The JSON Lines log of the counted writes. */
  log: 'COLLECT_KILL_LOG',
  /** The 1-based index of the write to die at; absent: count only. */
  at: 'COLLECT_KILL_AT',
  /** `before`, `after` or `torn`. */
  mode: 'COLLECT_KILL_MODE',
} as const;

export type KillMode = 'before' | 'after' | 'torn';

export interface WriteEntry {
  /** 1-based, in the order the process issued them. */
  i: number;
  op: string;
  /** Relative to the counted folder (`from -> to` for renames and links). */
  path: string;
  /** Bytes of data, for the writes that carry some. */
  bytes?: number;
  /** The first characters of the data, when it is text. */
  head?: string;
  /** Set on the write the process was killed at. */
  kill?: KillMode;
}

type Args = unknown[];
type Fn = (this: unknown, ...args: Args) => unknown;
type Data = { bytes: number; buffer: Buffer; text?: string };
/** What a call writes: the path under the folder and its data; undefined when it is not counted. */
type Describe = (args: Args) => { path: string; data?: Data } | undefined;

const WRITE_FLAGS = fs.constants.O_WRONLY | fs.constants.O_RDWR | fs.constants.O_CREAT | fs.constants.O_TRUNC | fs.constants.O_APPEND;

/** @public Called by the preload crash-points.ts builds (knip cannot see into esbuild's stdin). */
export function installKillSwitch(env: NodeJS.ProcessEnv = process.env): void {
  const rootEnv = env[KILL_ENV.root];
  const logPath = env[KILL_ENV.log];
  if (!rootEnv || !logPath) return;
  const root = resolve(rootEnv);
  const killAt = env[KILL_ENV.at] ? Number(env[KILL_ENV.at]) : undefined;
  const mode = (env[KILL_ENV.mode] ?? 'before') as KillMode;
  const sync = fs as unknown as Record<string, Fn>;
  const promises = fs.promises as unknown as Record<string, Fn>;

  // The originals, for the switch's own log and for torn writes.
  const { appendFileSync, writeFileSync, writeSync } = fs;

  const fds = new Map<number, string>();
  let count = 0;
  let depth = 0; // a counted call that makes another (writeFileSync opening its file) counts once

  const under = (p: unknown): string | undefined => {
    if (typeof p !== 'string' && !Buffer.isBuffer(p) && !(p instanceof URL)) return undefined;
    const abs = p instanceof URL ? p.pathname : resolve(String(p));
    const rel = relative(root, abs);
    return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : undefined;
  };
  const target = (p: unknown): string | undefined => (typeof p === 'number' ? fds.get(p) : under(p));
  const writeFlags = (flags: unknown): boolean =>
    typeof flags === 'number' ? (flags & WRITE_FLAGS) !== 0 : typeof flags === 'string' && /[wa+]/.test(flags);
  const die = (): never => {
    process.kill(process.pid, 'SIGKILL');
    throw new Error('unreachable: SIGKILL');
  };

  /** Counts one write and logs it; returns how to die when this is the one. */
  const counted = (op: string, path: string, data?: Data): KillMode | undefined => {
    count++;
    const hit = count === killAt ? (mode === 'torn' && (data?.bytes ?? 0) < 2 ? 'before' : mode) : undefined;
    const entry: WriteEntry = {
      i: count,
      op,
      path,
      ...(data ? { bytes: data.bytes } : {}),
      ...(data?.text !== undefined ? { head: data.text.slice(0, 24) } : {}),
      ...(hit ? { kill: hit } : {}),
    };
    appendFileSync(logPath, `${JSON.stringify(entry)}\n`);
    return hit;
  };

  const dataOf = (value: unknown, offset?: unknown, length?: unknown, encoding?: unknown): Data => {
    if (typeof value === 'string') {
      const buffer = Buffer.from(value, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8');
      return { bytes: buffer.length, buffer, text: value };
    }
    if (ArrayBuffer.isView(value)) {
      let buffer = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
      if (typeof offset === 'number') buffer = buffer.subarray(offset, typeof length === 'number' ? offset + length : undefined);
      return { bytes: buffer.length, buffer };
    }
    const buffer = Buffer.from(String(value));
    return { bytes: buffer.length, buffer };
  };
  const half = (data: Data): Buffer => data.buffer.subarray(0, Math.floor(data.bytes / 2));

  /** Runs a counted call the way `hit` says: die before, write half and die, or call and die after. */
  type Torn = (args: Args, data: Data) => void;
  const prologue = (op: string, what: { path: string; data?: Data }, args: Args, torn?: Torn): KillMode | undefined => {
    const hit = counted(op, what.path, what.data);
    if (hit === 'before') die();
    if (hit === 'torn' && torn && what.data) {
      torn(args, what.data);
      die();
    }
    return hit;
  };

  const wrapSync = (name: string, describe: Describe, torn?: Torn) => {
    const original = sync[name]!;
    sync[name] = function (this: unknown, ...args: Args) {
      const what = depth === 0 ? describe(args) : undefined;
      if (!what) return original.apply(this, args);
      const hit = prologue(name, what, args, torn);
      depth++;
      let result: unknown;
      try {
        result = original.apply(this, args);
      } finally {
        depth--;
      }
      if (hit) die();
      return result;
    };
  };
  /** A callback function: killed "after" when its callback would run. */
  const wrapCallback = (name: string, describe: Describe, torn?: Torn) => {
    const original = sync[name]!;
    sync[name] = function (this: unknown, ...args: Args) {
      const what = describe(args);
      if (!what) return original.apply(this, args);
      if (prologue(name, what, args, torn) && typeof args.at(-1) === 'function') args[args.length - 1] = () => die();
      return original.apply(this, args);
    };
  };
  const wrapPromise = (name: string, describe: Describe, torn?: Torn) => {
    const original = promises[name]!;
    promises[name] = async function (this: unknown, ...args: Args) {
      const what = describe(args);
      if (!what) return original.apply(this, args);
      const hit = prologue(`promises.${name}`, what, args, torn);
      const result = await original.apply(this, args);
      if (hit) die();
      return result;
    };
  };

  const onPath =
    (data: (args: Args) => Data | undefined): Describe =>
    (args) => {
      const path = target(args[0]);
      if (path === undefined) return undefined;
      const written = data(args);
      return written ? { path, data: written } : { path };
    };
  const noData = onPath(() => undefined);
  const pair: Describe = (args) => {
    const from = target(args[0]);
    const to = target(args[1]);
    return from === undefined && to === undefined ? undefined : { path: `${from ?? String(args[0])} -> ${to ?? String(args[1])}` };
  };
  const opening: Describe = (args) => {
    const path = writeFlags(args[1]) ? under(args[0]) : undefined;
    return path === undefined ? undefined : { path };
  };
  const options = (value: unknown) => (typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {});
  const fileData = onPath((args) =>
    dataOf(args[1], undefined, undefined, typeof args[2] === 'string' ? args[2] : options(args[2]).encoding),
  );
  // write(fd, buffer, offset?, length?, position?), write(fd, buffer, options), write(fd, string, position?, encoding?)
  const writeData = onPath((args) =>
    typeof args[1] === 'string'
      ? dataOf(args[1], undefined, undefined, args[3])
      : typeof args[2] === 'object' && args[2] !== null
        ? dataOf(args[1], options(args[2]).offset, options(args[2]).length)
        : dataOf(args[1], args[2], args[3]),
  );
  const writevData = onPath((args) => {
    const buffer = Buffer.concat((args[1] as ArrayBufferView[]).map((b) => Buffer.from(b.buffer, b.byteOffset, b.byteLength)));
    return { bytes: buffer.length, buffer };
  });
  const tornFile =
    (append: boolean): Torn =>
    (args, data) => {
      const file = args[0] as string | number;
      if (typeof file === 'number') writeSync(file, half(data));
      else (append ? appendFileSync : writeFileSync)(file, half(data));
    };
  const tornFd: Torn = (args, data) => void writeSync(args[0] as number, half(data));

  // Opening for writing is counted, and the descriptor remembered so that its writes are attributed.
  const remember = (path: string | undefined, fd: unknown) => {
    if (path !== undefined && typeof fd === 'number') fds.set(fd, path);
  };
  wrapSync('openSync', opening);
  const openSync = sync.openSync!;
  sync.openSync = function (this: unknown, ...args: Args) {
    const fd = openSync.apply(this, args);
    remember(opening(args)?.path, fd);
    return fd;
  };
  const open = sync.open!;
  sync.open = function (this: unknown, ...args: Args) {
    const what = opening(args);
    const callback = args.at(-1);
    if (!what || typeof callback !== 'function') return open.apply(this, args);
    const hit = counted('open', what.path);
    if (hit === 'before') die();
    args[args.length - 1] = (err: unknown, fd: unknown) => {
      if (!err) remember(what.path, fd);
      if (hit) die();
      callback(err, fd);
    };
    return open.apply(this, args);
  };
  for (const name of ['close', 'closeSync']) {
    const original = sync[name]!;
    sync[name] = function (this: unknown, ...args: Args) {
      if (typeof args[0] === 'number') fds.delete(args[0]);
      return original.apply(this, args);
    };
  }

  wrapSync('writeFileSync', fileData, tornFile(false));
  wrapSync('appendFileSync', fileData, tornFile(true));
  wrapSync('writeSync', writeData, tornFd);
  wrapSync('writevSync', writevData, tornFd);
  for (const name of ['renameSync', 'linkSync', 'copyFileSync']) wrapSync(name, pair);
  for (const name of ['rmSync', 'unlinkSync', 'truncateSync', 'ftruncateSync']) wrapSync(name, noData);

  wrapCallback('write', writeData, tornFd);
  wrapCallback('writev', writevData, tornFd);
  for (const name of ['rename', 'link', 'copyFile']) wrapCallback(name, pair);
  for (const name of ['rm', 'unlink', 'truncate', 'ftruncate']) wrapCallback(name, noData);
  // fs.writeFile and fs.appendFile open and write through fs.open and fs.write, wrapped above.

  wrapPromise('writeFile', fileData, tornFile(false));
  wrapPromise('appendFile', fileData, tornFile(true));
  wrapPromise('open', opening);
  for (const name of ['rename', 'link', 'copyFile']) wrapPromise(name, pair);
  for (const name of ['rm', 'unlink', 'truncate']) wrapPromise(name, noData);

  syncBuiltinESMExports();
}
