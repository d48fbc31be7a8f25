// Everything about a resolved collector that can be worked out once, before any
// page: fetch policy, compiled extractors, the pagination strategy.
import type { ResolvedCollector, ResolvedFollow, ResolvedParse, ResolvedPagination } from '../../language/generated/resolved.types.ts';
import { compileExtractor } from '../extract/compile.ts';
import type { CompiledExtractor } from '../extract/compile.ts';
import { resolvePolicy } from '../fetch/policy.ts';
import type { FetchPolicy } from '../fetch/types.ts';
import { strategyOf } from '../paginate/registry.ts';
import type { Paginator, PaginationStrategy } from '../paginate/types.ts';
import { constantVariables } from '../../language/variables.ts';
import { START_KIND } from '../../language/page-kinds.ts';
import { kindSpecs, NO_RECORDS } from '../discover/kinds.ts';
import { compileDiscoverRules, type CompiledDiscoverRule } from '../discover/rules.ts';

export interface CompiledFollow {
  field?: string;
  extractor: CompiledExtractor;
  parse: ResolvedParse;
  allowedHosts?: string[];
  next?: CompiledFollow;
  /** The top-level `follow.maxDepth`: how many levels are fetched. */
  maxDepth: number;
}

interface CompiledPagination {
  spec: ResolvedPagination;
  strategy: PaginationStrategy;
  paginator: Paginator;
}

export interface CompiledCollector {
  spec: ResolvedCollector;
  /** sha256 of the YAML source: which version of the spec produced a run. */
  hash: string;
  policy: FetchPolicy;
  extractor: CompiledExtractor;
  follow?: CompiledFollow;
  pagination?: CompiledPagination;
  /** Single-valued variables, usable by every template. */
  constants: Record<string, string>;
  /** The kind of page this is compiled for (`start`: the collector's own blocks) and its discovery rules. */
  kind: { name: string; discover: CompiledDiscoverRule[] };
  /** Every kind of page by name, start included, each a view of the collector with its kind's blocks (core/discover/kinds.ts). */
  kinds: ReadonlyMap<string, CompiledCollector>;
}

export interface CompileOptions {
  hash?: string;
  allowPrivateNetwork?: boolean;
}

export function compileCollector(spec: ResolvedCollector, options: CompileOptions = {}): CompiledCollector {
  const kinds = new Map<string, CompiledCollector>();
  const start = compileKind(spec, START_KIND, kinds, options);
  kinds.set(START_KIND, start);
  // One policy object for all kinds: the fetcher keys its per-host limits on it.
  for (const [name, view] of kindSpecs(spec)) kinds.set(name, { ...compileKind(view, name, kinds, options), policy: start.policy });
  return start;
}

function compileKind(
  spec: ResolvedCollector,
  kind: string,
  kinds: ReadonlyMap<string, CompiledCollector>,
  options: CompileOptions,
): CompiledCollector {
  const constants = constantVariables(spec.variables);
  const follow = spec.follow ? compileFollow(spec.follow, spec.follow.maxDepth, spec.limits.maxItemsPerPage) : undefined;
  const pagination = spec.paginate
    ? { spec: spec.paginate, strategy: strategyOf(spec.paginate), paginator: strategyOf(spec.paginate).paginator(spec.paginate) }
    : undefined;
  return {
    spec,
    hash: options.hash ?? '',
    policy: resolvePolicy(spec.request, { allowPrivateNetwork: options.allowPrivateNetwork ?? false, allow: spec.network.allow }),
    extractor: spec.extract
      ? compileExtractor(spec.extract, extractorOptions(spec.follow, spec.parse, spec.limits.maxItemsPerPage))
      : NO_RECORDS,
    ...(follow ? { follow } : {}),
    ...(pagination ? { pagination } : {}),
    constants,
    kind: { name: kind, discover: compileDiscoverRules(spec.discover, kind) },
    kinds,
  };
}

/**
 * Extractor options: the link of a nested follow, the page kind when it is known up front (errors
 * show at compile time), and `limits.maxItemsPerPage`.
 */
function extractorOptions(follow: ResolvedFollow | undefined, parse: ResolvedParse, maxItems: number) {
  return {
    ...(follow?.selector ? { link: { selector: follow.selector, attribute: follow.attribute } } : {}),
    ...(parse !== 'auto' ? { parse } : {}),
    maxItems,
  };
}

function compileFollow(follow: ResolvedFollow, maxDepth: number, maxItems: number): CompiledFollow {
  return {
    maxDepth,
    ...(follow.field ? { field: follow.field } : {}),
    extractor: compileExtractor(follow.extract, extractorOptions(follow.follow, follow.parse, maxItems)),
    parse: follow.parse,
    ...(follow.allowedHosts ? { allowedHosts: follow.allowedHosts } : {}),
    ...(follow.follow ? { next: compileFollow(follow.follow, maxDepth, maxItems) } : {}),
  };
}
