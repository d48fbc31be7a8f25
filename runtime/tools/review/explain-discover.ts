// What `collect explain` says of a discovery crawl and of sitemaps: the kinds
// of page, what each yields, the rules that lead from one to another with
// their depth, and the sitemaps that seed the run. Pure, from the resolved collector.
import type { ResolvedCollector, ResolvedDiscoverRule, ResolvedPageKind } from '../../language/generated/resolved.types.ts';
import { START_KIND } from '../../language/page-kinds.ts';
import { MAX_INDEX_DEPTH } from '../../core/sitemap/read.ts';
import { sitemapSeedsOf } from '../../core/sitemap/seeds.ts';

type KindBlocks = Pick<ResolvedPageKind, 'extract' | 'follow' | 'paginate' | 'discover'>;

/** One line a kind and one a rule; empty for a collector that neither discovers nor reads sitemaps. */
export function describeDiscovery(c: ResolvedCollector): string[] {
  const kinds: [string, KindBlocks][] = [[START_KIND, c], ...Object.entries(c.pages ?? {})];
  const sitemaps = sitemapSeedsOf(c);
  if (kinds.length === 1 && !c.discover && sitemaps.length === 0) return [];
  const out: string[] = [];
  for (const s of sitemaps) {
    const only = [s.match !== undefined ? `matching /${s.match}/` : '', s.since !== undefined ? `modified after ${s.since}` : '']
      .filter(Boolean)
      .join(', ');
    out.push(
      `sitemap ${s.url} (indexes followed ${MAX_INDEX_DEPTH} levels, .gz read): its pages${only ? ` ${only}` : ''} are seeds of kind ${s.as ?? START_KIND}` +
        (c.records.incremental ? '; a run takes only pages whose lastmod is newer than the last run saw' : ''),
    );
  }
  for (const [name, kind] of kinds) {
    out.push(`kind ${name}: ${yields(kind)}`);
    for (const [i, rule] of (kind.discover ?? []).entries()) out.push(`  ${describeRule(rule, i, name)}`);
  }
  const deepest = Math.max(0, ...kinds.flatMap(([, k]) => (k.discover ?? []).map((r) => r.maxDepth)));
  if (deepest > 0)
    out.push(
      `depth: at most ${deepest} link${deepest === 1 ? '' : 's'} from a start page; on AWS each link is one SQS hop, so the deepest pages run ${deepest + 1} invocations below the start (of Lambda's 16, pagination chains included)`,
    );
  out.push(
    'each page is fetched once a run: a page found again (from any page, as the same kind) is the same task, and a response already fetched is reused (fetch once)',
  );
  return out;
}

function yields(kind: KindBlocks): string {
  const parts: string[] = [];
  if (kind.extract) {
    const n = Object.keys(kind.extract.fields).length;
    parts.push(`${kind.extract.items ? `records from ${kind.extract.items}` : 'one record a page'} (${n} field${n === 1 ? '' : 's'})`);
  } else parts.push('no records');
  if (kind.follow) parts.push('with detail pages (follow)');
  if (kind.paginate) parts.push(`paginated (${kind.paginate.type})`);
  return parts.join(', ');
}

function describeRule(rule: ResolvedDiscoverRule, i: number, kind: string): string {
  const filters = [
    rule.allow ? `matching ${rule.allow.map((p) => `/${p}/`).join(' or ')}` : '',
    rule.deny ? `not ${rule.deny.map((p) => `/${p}/`).join(' nor ')}` : '',
    rule.sameHost ? 'on the same host' : 'on any host',
  ].filter(Boolean);
  return `discover[${i}]: links ${rule.links} (${rule.attribute}) ${filters.join(', ')} -> pages of kind ${rule.as ?? kind}, up to depth ${rule.maxDepth} from a start page`;
}
