import { searchJson } from '../extract/links.ts';
import type { PageNumberPagination } from '../../language/generated/collector.types.ts';
import type { NextPage, Paginator } from './types.ts';

export function pageNumber(spec: PageNumberPagination): Paginator {
  const start = spec.start ?? 1;
  const current = (token: string | number | undefined) => (typeof token === 'number' ? token : Number(token ?? start));
  return {
    next({ task }) {
      return { url: task.url, token: current(task.token) + 1 };
    },
    fanOut({ task, page }) {
      if (!spec.totalPagesPath || !page || current(task.token) !== start) return undefined;
      const total = Number(searchJson(page, spec.totalPagesPath));
      if (!Number.isFinite(total) || total < 1) return undefined;
      const max = spec.stop?.maxPages ? Math.min(total, spec.stop.maxPages) : total;
      const pages: NextPage[] = [];
      for (let i = 1; i < max; i++) pages.push({ url: task.url, token: start + i });
      return pages;
    },
  };
}
