// Discovery rules compiled once per collector, and run on a page: the links
// they take, made absolute (against the page's <base href>), without their
// fragment, in page order and each once.
import type { ResolvedDiscoverRule } from '../../language/generated/resolved.types.ts';
import type { ParsedPage } from '../extract/types.ts';
import { compileRegex } from '../extract/regex.ts';
import { compileSelector, type CompiledSelector } from '../extract/selector.ts';
import { resolveLink } from '../extract/url.ts';
import { canonicalUrl } from './canonical-url.ts';

export interface CompiledDiscoverRule {
  /** Index in its `discover` list, for messages. */
  index: number;
  /** The `links` selector as written. */
  links: string;
  selector: CompiledSelector;
  attribute: string;
  allow: RegExp[];
  deny: RegExp[];
  sameHost: boolean;
  maxDepth: number;
  /** The kind of page the links lead to. */
  as: string;
}

/** `ownKind`: the kind whose pages the rules run on, the default of `as`. Throws on a selector or regex that does not compile. */
export function compileDiscoverRules(rules: readonly ResolvedDiscoverRule[] | undefined, ownKind: string): CompiledDiscoverRule[] {
  return (rules ?? []).map((rule, index) => ({
    index,
    links: rule.links,
    selector: compileSelector(rule.links, false),
    attribute: rule.attribute.toLowerCase(),
    allow: (rule.allow ?? []).map(compileRegex),
    deny: (rule.deny ?? []).map(compileRegex),
    sameHost: rule.sameHost,
    maxDepth: rule.maxDepth,
    as: rule.as ?? ownKind,
  }));
}

/** The links of an HTML page that `rule` takes; none on a JSON page. */
export function findLinks(rule: CompiledDiscoverRule, page: ParsedPage): string[] {
  if (page.kind !== 'html') return [];
  const $ = page.doc;
  const host = new URL(page.url).hostname;
  const out = new Set<string>();
  for (const el of rule.selector.all($.root()[0]!, $)) {
    const absolute = resolveLink(page, el.attribs[rule.attribute]);
    if (absolute === undefined) continue;
    const url = canonicalUrl(absolute);
    if (rule.sameHost && new URL(url).hostname !== host) continue;
    if (rule.allow.length > 0 && !rule.allow.some((re) => re.test(url))) continue;
    if (rule.deny.some((re) => re.test(url))) continue;
    out.add(url);
  }
  return [...out];
}
