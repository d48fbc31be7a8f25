// The collectors the function knows: validated at build time and shipped as
// data, one file per collector, read and compiled on first use only, so a cold
// start reads no collector it is not asked to run and costs the same with two
// collectors or a thousand.
import { compileCollector, type CompiledCollector } from '../../core/engine/compile.ts';
import type { RunnableCollector } from '../../language/load.ts';

/** A collector embedded in the bundle: resolved at build time, with the hash of its source. */
export type EmbeddedCollector = RunnableCollector;

/** Where the registry finds a collector by name: the files beside the bundle, or a list (tests). */
export interface CollectorSource {
  /** The collector of this name, or undefined when the deployment has none. */
  load(name: string): EmbeddedCollector | undefined;
  /** Every name, sorted: only for messages, so it may be slow. */
  names(): string[];
}

/** Names shown in an unknown-collector message before "and N more". */
const NAMES_SHOWN = 20;

export class UnknownCollectorError extends Error {
  override readonly name = 'UnknownCollectorError';
  constructor(
    readonly collector: string,
    known: string[],
  ) {
    const shown = known.slice(0, NAMES_SHOWN).join(', ');
    const more = known.length > NAMES_SHOWN ? ` and ${known.length - NAMES_SHOWN} more` : '';
    super(`collector "${collector}" is not in this deployment (it has: ${shown || 'none'}${more})`);
  }
}

function listSource(collectors: readonly EmbeddedCollector[]): CollectorSource {
  const byName = new Map(collectors.map((c) => [c.collector.name, c]));
  return { load: (name) => byName.get(name), names: () => [...byName.keys()].sort() };
}

export class CollectorRegistry {
  private readonly source: CollectorSource;
  private readonly compiled = new Map<string, CompiledCollector>();

  constructor(
    collectors: CollectorSource | readonly EmbeddedCollector[],
    private readonly options: { allowPrivateNetwork?: boolean } = {},
  ) {
    this.source = isSource(collectors) ? collectors : listSource(collectors);
  }

  names(): string[] {
    return this.source.names();
  }

  get(name: string): CompiledCollector {
    let compiled = this.compiled.get(name);
    if (compiled) return compiled;
    const embedded = this.source.load(name);
    if (!embedded) throw new UnknownCollectorError(name, this.names());
    compiled = compileCollector(embedded.collector, {
      hash: embedded.hash,
      allowPrivateNetwork: this.options.allowPrivateNetwork ?? false,
    });
    this.compiled.set(name, compiled);
    return compiled;
  }
}

function isSource(value: CollectorSource | readonly EmbeddedCollector[]): value is CollectorSource {
  return !Array.isArray(value);
}
