// The kinds of page of a collector: `start` (the collector's own top-level
// parse, extract, follow, paginate and discover) and each entry of `pages`.
// Lint rules, the fields a record may have and the engine's compiler all walk
// them the same way, from here.
import type { Collector, DiscoverRule, Extract, Follow, Parse } from './generated/collector.types.ts';
import type { PathSegment } from './issue.ts';

/** The kind of the start pages (and of a task that names none). */
export const START_KIND = 'start';

export interface KindVisit {
  name: string;
  /** Where the kind's blocks are: `[]` for start (top level), `['pages', NAME]` for the others. */
  path: PathSegment[];
  parse: Parse | undefined;
  extract: Extract | undefined;
  follow: Follow | undefined;
  paginate: Collector['paginate'];
  discover: readonly DiscoverRule[];
}

/** Start first, then the `pages` kinds in the order they are written. */
export function pageKinds(c: Collector): KindVisit[] {
  const kinds: KindVisit[] = [
    {
      name: START_KIND,
      path: [],
      parse: c.parse,
      extract: c.extract,
      follow: c.follow,
      paginate: c.paginate,
      discover: c.discover ?? [],
    },
  ];
  for (const [name, k] of Object.entries(c.pages ?? {})) {
    if (name === START_KIND) continue; // lint/discover.ts says why
    kinds.push({
      name,
      path: ['pages', name],
      parse: k.parse,
      extract: k.extract,
      follow: k.follow,
      paginate: k.paginate,
      discover: k.discover ?? [],
    });
  }
  return kinds;
}

/** The top-level record fields a collector declares: of every kind's pages and their detail pages. */
export function declaredFieldNames(c: Pick<Collector, 'extract' | 'follow' | 'pages'>): string[] {
  const names = new Set<string>();
  const kinds = [c, ...Object.values(c.pages ?? {})];
  for (const kind of kinds) {
    for (const name of Object.keys(kind.extract?.fields ?? {})) names.add(name);
    for (let f = kind.follow; f; f = f.follow) for (const name of Object.keys(f.extract.fields)) names.add(name);
  }
  return [...names];
}
