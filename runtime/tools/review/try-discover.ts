// What `collect try` shows of a discovery crawl: for the page tried, the links
// each rule of its kind takes (how many, the first few) and the kind of page
// they lead to; and, for a collector whose seeds are sitemaps only, the first
// page of its sitemaps to try.
import type { CompiledCollector } from '../../core/engine/compile.ts';
import { planSeeds } from '../../core/engine/plan.ts';
import type { Task } from '../../core/engine/task.ts';
import { findLinks } from '../../core/discover/rules.ts';
import type { ParsedPage } from '../../core/extract/types.ts';
import type { Fetcher } from '../../core/fetch/types.ts';
import type { SecretResolver } from '../../core/secrets.ts';
import { planSitemapSeeds } from '../../core/sitemap/seeds.ts';

export interface TriedRule {
  /** `discover[0]`, `pages.item.discover[1]`. */
  rule: string;
  links: string;
  as: string;
  maxDepth: number;
  count: number;
  first: string[];
}

const SHOWN = 3;

/** The links each rule of the page's kind takes; a rule past its maxDepth at the page's depth says so with 0. */
export function tryDiscovery(compiled: CompiledCollector, page: ParsedPage | undefined, depth: number): TriedRule[] {
  const kind = compiled.kind;
  const at = kind.name === 'start' ? 'discover' : `pages.${kind.name}.discover`;
  return kind.discover.map((rule) => {
    const found = page && depth + 1 <= rule.maxDepth ? findLinks(rule, page) : [];
    return {
      rule: `${at}[${rule.index}]`,
      links: rule.links,
      as: rule.as,
      maxDepth: rule.maxDepth,
      count: found.length,
      first: found.slice(0, SHOWN),
    };
  });
}

export function formatDiscovery(rules: readonly TriedRule[]): string[] {
  const out: string[] = [];
  for (const r of rules) {
    out.push(
      `  ${r.rule} ${JSON.stringify(r.links)} → ${r.count} link${r.count === 1 ? '' : 's'}, pages of kind ${r.as} (maxDepth ${r.maxDepth})`,
    );
    for (const url of r.first) out.push(`    ${url}`);
    if (r.count > r.first.length) out.push(`    ... and ${r.count - r.first.length} more`);
  }
  return out;
}

/** The seeds try picks from: the start URLs', or, when there are none, the sitemaps' pages (no lastmod mark is read or kept). */
export async function trySeeds(
  compiled: CompiledCollector,
  fetcher: Fetcher,
  secrets: SecretResolver,
  runId: string,
  vars: Record<string, string> | undefined,
): Promise<Task[]> {
  const seeds = planSeeds(compiled.spec, { runId, ...(vars ? { overrides: vars } : {}) });
  if (seeds.length > 0 || !compiled.spec.start.sitemaps) return seeds;
  return planSitemapSeeds(compiled, [], { runId, fetcher, secrets, ...(vars ? { overrides: vars } : {}) });
}
