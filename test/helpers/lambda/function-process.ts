// A Lambda execution environment as a child process running the built bundle
// (runner.mjs): invocations one at a time, a deadline per invocation after
// which the process is killed (a timeout), and kill() for a crash at any
// moment. A killed environment is replaced by a fresh one on the next
// invocation: a cold start, as on Lambda.
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';

const RUNNER = fileURLToPath(new URL('./runner.mjs', import.meta.url));

export type Invocation =
  | { kind: 'ok'; result: unknown }
  | { kind: 'error'; error: string }
  /** Killed on purpose (a crash) or at its deadline (a timeout). */
  | { kind: 'killed'; reason: 'crash' | 'timeout' };

interface Pending {
  resolve: (i: Invocation) => void;
  timer: NodeJS.Timeout;
}

export class FunctionProcess {
  private child: ChildProcess | undefined;
  private ready: Promise<void> | undefined;
  private pending: Pending | undefined;
  private nextId = 0;
  private crashing = false;
  /** Everything the function printed (its log lines), across restarts. */
  log = '';
  coldStarts = 0;

  constructor(
    private readonly bundle: string,
    private readonly env: Record<string, string>,
  ) {}

  async invoke(event: unknown, budgetMs: number): Promise<Invocation> {
    if (this.pending) throw new Error('one invocation at a time');
    await this.start();
    const id = ++this.nextId;
    const deadline = Date.now() + budgetMs;
    return new Promise<Invocation>((resolve) => {
      const timer = setTimeout(() => this.kill('timeout'), budgetMs + 250);
      this.pending = { resolve, timer };
      this.child!.stdin!.write(`${JSON.stringify({ id, event, deadline })}\n`);
    });
  }

  /** Kills the environment now; the invocation in flight ends as `killed`. */
  kill(reason: 'crash' | 'timeout' = 'crash'): void {
    const child = this.child;
    if (!child) return;
    this.crashing = true;
    this.settle({ kind: 'killed', reason });
    child.kill('SIGKILL');
    this.child = undefined;
    this.ready = undefined;
  }

  async close(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    this.ready = undefined;
    if (!child) return;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill('SIGKILL');
    await exited;
  }

  private settle(i: Invocation): void {
    const p = this.pending;
    if (!p) return;
    this.pending = undefined;
    clearTimeout(p.timer);
    p.resolve(i);
  }

  private start(): Promise<void> {
    if (this.ready) return this.ready;
    this.crashing = false;
    this.coldStarts++;
    const child = spawn(process.execPath, [RUNNER, this.bundle], { env: { ...this.env }, stdio: ['pipe', 'pipe', 'pipe', 'pipe'] });
    this.child = child;
    child.stdout!.on('data', (c: Buffer) => (this.log += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (this.log += c.toString()));
    this.ready = new Promise<void>((resolve, reject) => {
      const lines = createInterface({ input: child.stdio[3] as Readable });
      lines.on('line', (line) => {
        const msg = JSON.parse(line) as { ready?: boolean; id?: number; ok?: boolean; result?: unknown; error?: string };
        if (msg.ready) resolve();
        else if (msg.ok) this.settle({ kind: 'ok', result: msg.result });
        else this.settle({ kind: 'error', error: msg.error ?? 'error' });
      });
      child.once('exit', (code) => {
        if (child !== this.child && this.crashing) return;
        reject(new Error(`the function process exited (${code}) before it was ready:\n${this.log.slice(-2000)}`));
        this.settle({ kind: 'killed', reason: 'crash' });
        if (child === this.child) {
          this.child = undefined;
          this.ready = undefined;
        }
      });
    });
    return this.ready;
  }
}
