import { searchJson } from '../extract/links.ts';
import type { CursorPagination } from '../../language/generated/collector.types.ts';
import type { Paginator } from './types.ts';

export function cursor(spec: CursorPagination): Paginator {
  return {
    next({ task, page, response }) {
      let token: unknown;
      if (spec.tokenHeader) token = response.headers[spec.tokenHeader.toLowerCase()];
      else if (spec.tokenPath && page) token = searchJson(page, spec.tokenPath);
      if (token === undefined || token === null || token === '' || token === false) return undefined;
      if (typeof token !== 'string' && typeof token !== 'number') return undefined;
      return { url: task.url, token };
    },
  };
}
