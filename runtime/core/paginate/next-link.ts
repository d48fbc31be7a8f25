import { parseLinkHeader, searchJson, selectLink } from '../extract/links.ts';
import type { NextLinkPagination } from '../../language/generated/collector.types.ts';
import type { Paginator } from './types.ts';

export function nextLink(spec: NextLinkPagination): Paginator {
  return {
    next({ page, response }) {
      let href: string | undefined;
      if (spec.linkHeader) {
        const link = response.headers['link'];
        href = link ? parseLinkHeader(link)['next'] : undefined;
      } else if (page && spec.selector && page.kind === 'html') {
        href = selectLink(page, spec.selector, spec.attribute ?? 'href');
      } else if (page && spec.path && page.kind === 'json') {
        const value = searchJson(page, spec.path);
        href = typeof value === 'string' && value !== '' ? value : undefined;
      }
      if (!href) return undefined;
      return { url: new URL(href, response.url).href };
    },
  };
}
