// Politeness per host: at most `concurrency` requests in flight and request
// starts spaced 1/perSecond apart, granted first come first served. The hot
// path (a free slot, nobody waiting) allocates nothing but the host's state.
import { timerDelay } from './backoff.ts';

export interface HostLimits {
  concurrency: number;
  /** Request starts per second; undefined means no rate limit. */
  perSecond?: number | undefined;
}

interface Waiter {
  limits: HostLimits;
  resolve: () => void;
  reject: (reason: unknown) => void;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
  settled: boolean;
}

interface HostState {
  inFlight: number;
  /** FIFO: waiters from `head` on are still waiting. */
  queue: Waiter[];
  head: number;
  /** Earliest time (clock ms) the next request may start. */
  nextStartAt: number;
  timer: ReturnType<typeof setTimeout> | undefined;
}

const granted: Promise<void> = Promise.resolve();

export class HostRateLimiter {
  readonly #hosts = new Map<string, HostState>();
  readonly #now: () => number;

  constructor(now: () => number = () => performance.now()) {
    this.#now = now;
  }

  /** Resolves when a request to `host` may start. Every grant must be followed by one `release(host)`. */
  acquire(host: string, limits: HostLimits, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    let state = this.#hosts.get(host);
    if (state === undefined) {
      state = { inFlight: 0, queue: [], head: 0, nextStartAt: 0, timer: undefined };
      this.#hosts.set(host, state);
    }
    if (state.head === state.queue.length && this.#canStart(state, limits, this.#now())) {
      this.#start(state, limits, this.#now());
      return granted;
    }
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = { limits, resolve, reject, signal, onAbort: undefined, settled: false };
      if (signal) {
        waiter.onAbort = () => {
          if (waiter.settled) return;
          waiter.settled = true;
          reject(signal.reason);
          // A cancelled head may have been what held the others back.
          this.#pump(host);
        };
        signal.addEventListener('abort', waiter.onAbort, { once: true });
      }
      state.queue.push(waiter);
      this.#pump(host);
    });
  }

  release(host: string): void {
    const state = this.#hosts.get(host);
    if (state === undefined || state.inFlight === 0) throw new Error(`release without acquire for ${host}`);
    state.inFlight -= 1;
    this.#pump(host);
    if (state.inFlight === 0 && state.head === state.queue.length && state.timer === undefined && this.#now() >= state.nextStartAt) {
      this.#hosts.delete(host);
    }
  }

  /** Requests in flight to `host` now (for tests and metrics). */
  inFlight(host: string): number {
    return this.#hosts.get(host)?.inFlight ?? 0;
  }

  /** Requests waiting for a slot to `host`. */
  waiting(host: string): number {
    const state = this.#hosts.get(host);
    if (state === undefined) return 0;
    let n = 0;
    for (let i = state.head; i < state.queue.length; i++) if (!state.queue[i]!.settled) n++;
    return n;
  }

  #canStart(state: HostState, limits: HostLimits, now: number): boolean {
    return state.inFlight < limits.concurrency && (limits.perSecond === undefined || now >= state.nextStartAt);
  }

  #start(state: HostState, limits: HostLimits, now: number): void {
    state.inFlight += 1;
    if (limits.perSecond !== undefined) state.nextStartAt = Math.max(now, state.nextStartAt) + 1000 / limits.perSecond;
  }

  #pump(host: string): void {
    const state = this.#hosts.get(host);
    if (state === undefined) return;
    while (state.head < state.queue.length) {
      const waiter = state.queue[state.head]!;
      if (waiter.settled) {
        state.head += 1;
        continue;
      }
      const now = this.#now();
      if (state.inFlight >= waiter.limits.concurrency) break;
      if (waiter.limits.perSecond !== undefined && now < state.nextStartAt) {
        if (state.timer === undefined) {
          state.timer = setTimeout(
            () => {
              state.timer = undefined;
              this.#pump(host);
            },
            // A start further off than a timer can wait (a tiny perSecond) re-arms it when it fires.
            timerDelay(Math.ceil(state.nextStartAt - now)),
          );
        }
        break;
      }
      state.head += 1;
      waiter.settled = true;
      if (waiter.onAbort) waiter.signal?.removeEventListener('abort', waiter.onAbort);
      this.#start(state, waiter.limits, now);
      waiter.resolve();
    }
    if (state.head === state.queue.length) {
      state.queue.length = 0;
      state.head = 0;
    } else if (state.head > 1024 && state.head * 2 > state.queue.length) {
      state.queue.splice(0, state.head);
      state.head = 0;
    }
  }
}
