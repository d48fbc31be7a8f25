// next-link: the next page's URL is on the page (a link, a JSON value) or in
// its `Link` header.
import type { ResolvedNextLinkPagination } from '../../language/generated/resolved.types.ts';
import { parseLinkHeader, searchJson, selectLink } from '../extract/links.ts';
import { exactlyOne, jsonPathIssues, selectorIssues } from './checks.ts';
import type { PaginationStrategy } from './types.ts';

export const nextLink: PaginationStrategy<ResolvedNextLinkPagination> = {
  paginator: (spec) => ({
    next({ page, response }) {
      let href: string | undefined;
      if (spec.linkHeader) {
        const link = response.headers.link;
        href = link ? parseLinkHeader(link).next : undefined;
      } else if (page && spec.selector && (page.kind === 'html' || page.kind === 'xml')) {
        href = selectLink(page, spec.selector, spec.attribute);
      } else if (page && spec.path && page.kind === 'json') {
        const value = searchJson(page, spec.path);
        href = typeof value === 'string' && value !== '' ? value : undefined;
      }
      if (!href) return undefined;
      return { url: new URL(href, response.url).href };
    },
  }),
  slot: () => undefined,
  firstToken: () => undefined,
  fixedParams: () => [],
  templateNames: () => [],
  lint: (spec, parse) => [
    ...exactlyOne(
      { selector: spec.selector !== undefined, path: spec.path !== undefined, linkHeader: spec.linkHeader === true },
      'next-link pagination',
      'selector for HTML, path for JSON, linkHeader: true for a Link header',
    ),
    ...(spec.selector !== undefined ? selectorIssues(parse, 'selector', spec.selector) : []),
    ...(spec.path !== undefined ? jsonPathIssues(parse, ['path'], spec.path) : []),
  ],
  describe: (spec) => ({
    how: spec.selector
      ? `follows the \`${spec.attribute}\` of \`${spec.selector}\` on each page`
      : spec.path
        ? `follows the URL at \`${spec.path}\` in each JSON response`
        : 'follows the rel="next" URL of the HTTP Link header',
    stops: ['there is no next link'],
  }),
  fansOut: () => false,
};
