// The collectors' fetchers of one invocation: one stack per collector and run
// (core/engine/fetch-stack.ts), so the tasks of a batch share a login, a cookie
// jar, a robots.txt and the pages already fetched, and an invocation logs in at
// most once per run. Closed when the batch ends; the base fetcher (the
// container's connection pools) outlives it.
import type { CompiledCollector } from '../../core/engine/compile.ts';
import { collectorFetcher } from '../../core/engine/fetch-stack.ts';
import type { Fetcher } from '../../core/fetch/types.ts';
import type { LambdaRuntime } from './runtime-context.ts';

export class InvocationFetchers {
  private readonly stacks = new Map<string, Fetcher>();

  constructor(private readonly rt: LambdaRuntime) {}

  of(compiled: CompiledCollector, runId: string): Fetcher {
    const key = `${compiled.spec.name}\u0000${runId}`;
    let stack = this.stacks.get(key);
    if (!stack) {
      stack = collectorFetcher(this.rt.fetcher(), { compiled, secrets: this.rt.secrets });
      this.stacks.set(key, stack);
    }
    return stack;
  }

  async close(): Promise<void> {
    await Promise.all([...this.stacks.values()].map((s) => s.close()));
    this.stacks.clear();
  }
}
