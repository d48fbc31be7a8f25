// Everything about a collector that can be worked out once, before any page:
// fetch policy, compiled extractors, pagination strategy, defaults.
import { compileExtractor } from '../extract/compile.ts';
import type { CompiledExtractor } from '../extract/compile.ts';
import { resolvePolicy } from '../fetch/policy.ts';
import type { FetchPolicy } from '../fetch/types.ts';
import { createPaginator } from '../paginate/registry.ts';
import { tokenSlot, type TokenSlot } from '../paginate/tokens.ts';
import type { Paginator } from '../paginate/types.ts';
import type { Collector, Follow, Parse, Stop } from '../../language/generated/collector.types.ts';

export interface CompiledFollow {
  field?: string;
  extractor: CompiledExtractor;
  parse: Parse;
  allowedHosts?: string[];
  next?: CompiledFollow;
}

export interface CompiledCollector {
  spec: Collector;
  /** sha256 of the YAML source: which version of the spec produced a run. */
  hash: string;
  policy: FetchPolicy;
  parse: Parse;
  extractor: CompiledExtractor;
  follow?: CompiledFollow;
  maxDepth: number;
  paginator?: Paginator;
  stop?: Stop;
  slot?: TokenSlot;
  /** Single-valued variables, usable by every template. */
  constants: Record<string, string>;
  pagesPerTask: number;
}

export interface CompileOptions {
  hash?: string;
  allowPrivateNetwork?: boolean;
}

export function compileCollector(spec: Collector, options: CompileOptions = {}): CompiledCollector {
  const constants: Record<string, string> = {};
  for (const [name, v] of Object.entries(spec.variables ?? {})) {
    if (typeof v === 'string' || typeof v === 'number') constants[name] = String(v);
  }
  const follow = spec.follow ? compileFollow(spec.follow) : undefined;
  return {
    spec,
    hash: options.hash ?? '',
    policy: resolvePolicy(spec.request, { allowPrivateNetwork: options.allowPrivateNetwork ?? false, allow: spec.network?.allow ?? [] }),
    parse: spec.parse ?? 'auto',
    extractor: compileExtractor(spec.extract, extractorOptions(spec.follow, spec.parse)),
    ...(follow ? { follow } : {}),
    maxDepth: spec.follow?.maxDepth ?? 3,
    ...(spec.paginate ? { paginator: createPaginator(spec.paginate), slot: tokenSlot(spec.paginate), stop: spec.paginate.stop } : {}),
    constants,
    pagesPerTask: spec.scaling?.pagesPerTask ?? 50,
  };
}

/** Extractor options: the link of a nested follow, and the page kind when it is known up front (errors show at compile time). */
function extractorOptions(follow: Follow | undefined, parse: Parse | undefined) {
  return {
    ...(follow?.selector ? { link: { selector: follow.selector, attribute: follow.attribute ?? 'href' } } : {}),
    ...(parse && parse !== 'auto' ? { parse } : {}),
  };
}

function compileFollow(follow: Follow): CompiledFollow {
  return {
    ...(follow.field ? { field: follow.field } : {}),
    extractor: compileExtractor(follow.extract, extractorOptions(follow.follow, follow.parse)),
    parse: follow.parse ?? 'auto',
    ...(follow.allowedHosts ? { allowedHosts: follow.allowedHosts } : {}),
    ...(follow.follow ? { next: compileFollow(follow.follow) } : {}),
  };
}
