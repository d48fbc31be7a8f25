// Discovery crawls and sitemaps: what the schema cannot say about the kinds of
// page, the rules that lead to them and the sitemaps that seed them.
//   - start needs urls or sitemaps; the start pages need extract or discover
//   - `pages.start` is not a kind (the start kind is the top level)
//   - `as:` names a kind (did you mean); a kind no rule or sitemap reaches is a warning
//   - a kind without extract nor discover does nothing
//   - selectors and regexes compile (with the path of the one that does not)
//   - rules read links from HTML pages; a discovered page has no URL template (`in: path`)
//   - each kind's extract, follow and paginate get the same checks as the top level's
import { checkRegex, checkSelector } from '../../core/extract/check.ts';
import type { Collector, DiscoverRule } from '../generated/collector.types.ts';
import type { Issue, PathSegment } from '../issue.ts';
import { type KindVisit, pageKinds, START_KIND } from '../page-kinds.ts';
import { resolveCollector } from '../resolve.ts';
import { didYouMean } from '../suggest.ts';
import { strategyOf } from '../../core/paginate/registry.ts';
import { lintExpressions } from './expressions.ts';
import { lintFieldReferences } from './field-refs.ts';
import { lintOptionSets } from './options.ts';
import { lintTemplates } from './templates.ts';

export function lintDiscovery(c: Collector): Issue[] {
  const issues: Issue[] = [];
  const kinds = pageKinds(c);
  const names = kinds.map((k) => k.name);
  if (!c.start.urls && !c.start.sitemaps) {
    issues.push({
      path: ['start'],
      at: 'container',
      message: 'start needs urls or sitemaps',
      hint: 'urls: the first pages; sitemaps: sitemap.xml files whose pages are the seeds',
    });
  }
  if (c.pages && Object.hasOwn(c.pages, START_KIND)) {
    issues.push({
      path: ['pages', START_KIND],
      at: 'key',
      message: '"start" is the kind of the start pages: its parse, extract, follow, paginate and discover are the top-level ones',
      hint: 'move them to the top level, or name this kind otherwise',
    });
  }
  // The start kind has pages when there are start URLs, or a sitemap or rule leads to it.
  const reached = new Set<string>(c.start.urls ? [START_KIND] : []);
  for (const s of c.start.sitemaps ?? []) if (typeof s === 'string' || s.as === undefined) reached.add(START_KIND);
  const kindRef = (as: string | undefined, path: PathSegment[]) => {
    if (as === undefined) return;
    reached.add(as);
    if (!names.includes(as))
      issues.push({
        path,
        message: `no kind of page "${as}"`,
        hint: didYouMean(as, names) ?? `kinds: ${names.join(', ')} (declare it under pages)`,
      });
  };
  for (const kind of kinds) {
    for (const [i, rule] of kind.discover.entries()) {
      const path: PathSegment[] = [...kind.path, 'discover', i];
      kindRef(rule.as ?? kind.name, [...path, 'as']);
      issues.push(...lintRule(rule, path));
    }
    if (kind.discover.length > 0 && kind.parse === 'json') {
      issues.push({
        path: [...kind.path, 'discover'],
        at: 'key',
        message: 'discovery rules read links from HTML pages; these pages are parsed as JSON',
        hint: 'remove discover here, or set parse: html',
      });
    }
    if (kind.name !== START_KIND) issues.push(...lintKindBlocks(c, kind), ...pathPagination(c, kind));
  }
  for (const [i, s] of (c.start.sitemaps ?? []).entries()) {
    if (typeof s === 'string') continue;
    const path: PathSegment[] = ['start', 'sitemaps', i];
    kindRef(s.as, [...path, 'as']);
    if (s.match !== undefined) issues.push(...regexIssue(s.match, [...path, 'match']));
    if (s.since !== undefined && (!/^\d{4}-\d{2}-\d{2}([T ].+)?$/.test(s.since.trim()) || Number.isNaN(Date.parse(s.since))))
      issues.push({
        path: [...path, 'since'],
        message: `since ${JSON.stringify(s.since)} is not a date`,
        hint: 'write 2024-06-01 or 2024-06-01T00:00:00Z',
      });
  }
  for (const kind of kinds) {
    const idle = kind.extract === undefined && kind.discover.length === 0;
    const has = reached.has(kind.name);
    if (idle && (has || kind.name !== START_KIND)) {
      issues.push({
        path: kind.path,
        at: 'container',
        message:
          kind.name === START_KIND
            ? 'the start pages need extract (their records) or discover (the pages they lead to)'
            : `pages of kind "${kind.name}" would do nothing: give them extract or discover`,
        hint: 'extract: { fields: ... } takes records; discover: [{ links: a.item, as: KIND }] follows links',
      });
    }
    if (has || idle) continue;
    issues.push(
      kind.name === START_KIND
        ? {
            path: [],
            at: 'container',
            severity: 'warning',
            message:
              'there are no start pages (no start.urls, and no sitemap or rule leads to kind start): the top-level extract and discover are never used',
            hint: 'add start.urls, or move them under the kind the sitemaps name',
          }
        : {
            path: kind.path,
            at: 'key',
            severity: 'warning',
            message: `no discovery rule or sitemap leads to pages of kind "${kind.name}": they are never fetched`,
            hint: `add a rule with as: ${kind.name}, or remove the kind`,
          },
    );
  }
  return issues;
}

function lintRule(rule: DiscoverRule, path: PathSegment[]): Issue[] {
  const issues: Issue[] = [];
  if (rule.links !== undefined) {
    const bad = checkSelector(rule.links);
    if (bad) issues.push({ path: [...path, 'links'], message: bad });
  }
  for (const list of ['allow', 'deny'] as const)
    for (const [j, pattern] of (rule[list] ?? []).entries()) issues.push(...regexIssue(pattern, [...path, list, j]));
  return issues;
}

function regexIssue(pattern: string, path: PathSegment[]): Issue[] {
  const bad = checkRegex(pattern);
  return bad
    ? [{ path, message: bad, hint: 'a JavaScript regular expression; escape . ? + ( ) with a backslash to match them as they are' }]
    : [];
}

/**
 * A kind's parse, extract, follow and paginate, checked by the rules that check the top-level ones:
 * the kind is put in the top level's place and what they find is moved under `pages.NAME`.
 */
function lintKindBlocks(c: Collector, kind: KindVisit): Issue[] {
  const { pages: _pages, discover: _discover, ...rest } = c;
  const asTop: Collector = { ...rest, parse: kind.parse, extract: kind.extract, follow: kind.follow, paginate: kind.paginate };
  const own = (i: Issue) => ['parse', 'extract', 'follow', 'paginate'].includes(String(i.path[0]));
  const found = [
    ...lintExpressions(asTop),
    ...lintOptionSets(asTop),
    ...lintTemplates(asTop),
    ...lintFieldReferences(asTop).filter((i) => i.path[0] === 'follow'),
  ];
  return found.filter(own).map((i) => ({ ...i, path: [...kind.path, ...i.path] }));
}

/** A discovered page's URL is found on a page, not rendered from a template: `in: path` has no template to fill. */
function pathPagination(c: Collector, kind: KindVisit): Issue[] {
  if (!kind.paginate) return [];
  let slot: ReturnType<ReturnType<typeof strategyOf>['slot']>;
  try {
    const resolved = resolveCollector({ ...c, paginate: kind.paginate }).paginate!;
    slot = strategyOf(resolved).slot(resolved);
  } catch {
    return []; // a pagination the schema rejected
  }
  if (slot?.in !== 'path') return [];
  return [
    {
      path: [...kind.path, 'paginate', 'in'],
      message: `pages of kind "${kind.name}" are found by their URL, which has no {{ ${slot.param} }} to fill`,
      hint: 'use in: query (or header, body) for the page number of a discovered page',
    },
  ];
}
