// Each kind of page is compiled as a view of the collector: the same name,
// output, records, limits and fetch policy, with the kind's own parse,
// extract, follow and paginate in place of the top-level ones. So every step
// of a task (parse, extract, next page, detail pages, request) reads
// `ctx.compiled` as it always did and gets its kind's blocks. A discovered
// page is a link: it is fetched with GET and the collector's headers and
// query, never with the start request's method or body.
import type { ResolvedCollector } from '../../language/generated/resolved.types.ts';
import { START_KIND } from '../../language/page-kinds.ts';
import type { CompiledExtractor } from '../extract/types.ts';

/** The collector as each of its `pages` kinds sees it, by name (start not included: it is the collector). */
export function kindSpecs(spec: ResolvedCollector): [string, ResolvedCollector][] {
  const { body: _body, ...request } = spec.request;
  return Object.entries(spec.pages ?? {})
    .filter(([name]) => name !== START_KIND)
    .map(([name, kind]) => [
      name,
      {
        ...spec,
        request: { ...request, method: 'GET' },
        parse: kind.parse,
        extract: kind.extract,
        follow: kind.follow,
        paginate: kind.paginate,
        discover: kind.discover,
        // A kind renders in a browser when it says so, or when the whole collector does.
        ...(kind.browser || spec.browser ? { browser: kind.browser ?? spec.browser } : {}),
      },
    ]);
}

/** The extractor of a kind without `extract`: its pages yield no records (their rules still discover). */
export const NO_RECORDS: CompiledExtractor = { extract: () => ({ records: [], errors: [], links: [] }) };
