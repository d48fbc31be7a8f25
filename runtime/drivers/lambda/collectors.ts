// The collectors the function knows: validated at build time and embedded as
// data, compiled here on first use only, so a cold start parses no YAML and
// compiles no collector it is not asked to run.
import { compileCollector, type CompiledCollector } from '../../core/engine/compile.ts';
import type { RunnableCollector } from '../../language/load.ts';

/** A collector embedded in the bundle: resolved at build time, with the hash of its source. */
export type EmbeddedCollector = RunnableCollector;

export class UnknownCollectorError extends Error {
  override readonly name = 'UnknownCollectorError';
  constructor(
    readonly collector: string,
    known: string[],
  ) {
    super(`collector "${collector}" is not in this deployment (it has: ${known.join(', ') || 'none'})`);
  }
}

export class CollectorRegistry {
  private readonly specs = new Map<string, EmbeddedCollector>();
  private readonly compiled = new Map<string, CompiledCollector>();

  constructor(
    collectors: readonly EmbeddedCollector[],
    private readonly options: { allowPrivateNetwork?: boolean } = {},
  ) {
    for (const c of collectors) this.specs.set(c.collector.name, c);
  }

  names(): string[] {
    return [...this.specs.keys()];
  }

  get(name: string): CompiledCollector {
    let compiled = this.compiled.get(name);
    if (compiled) return compiled;
    const embedded = this.specs.get(name);
    if (!embedded) throw new UnknownCollectorError(name, this.names());
    compiled = compileCollector(embedded.collector, {
      hash: embedded.hash,
      allowPrivateNetwork: this.options.allowPrivateNetwork ?? false,
    });
    this.compiled.set(name, compiled);
    return compiled;
  }
}
