// page-number: pages 1, 2, 3, … in a parameter; with `totalPagesPath`, the first
// page says how many there are and the rest fan out as tasks at once.
import type { ResolvedPageNumberPagination } from '../../language/generated/resolved.types.ts';
import { searchJson } from '../extract/links.ts';
import { jsonPathIssues, placeText } from './checks.ts';
import { slotWithPath } from './placement.ts';
import type { NextPage, PaginationStrategy, TokenSlot } from './types.ts';

const slot = (spec: ResolvedPageNumberPagination): TokenSlot => slotWithPath(spec, spec.param);

export const pageNumber: PaginationStrategy<ResolvedPageNumberPagination> = {
  paginator(spec) {
    const current = (token: string | number | undefined) => (typeof token === 'number' ? token : Number(token ?? spec.start));
    return {
      next: ({ task }) => ({ url: task.url, token: current(task.token) + 1 }),
      fanOut({ task, page }, limit) {
        if (!spec.totalPagesPath || !page || current(task.token) !== spec.start) return undefined;
        const total = Number(searchJson(page, spec.totalPagesPath));
        if (!Number.isFinite(total) || total < 1) return undefined;
        const max = Math.min(total, spec.stop.maxPages ?? total, limit + 1);
        const pages: NextPage[] = [];
        for (let i = 1; i < max; i++) pages.push({ url: task.url, token: spec.start + i });
        return pages;
      },
    };
  },
  slot,
  firstToken: (spec) => spec.start,
  fixedParams: (spec) => (spec.pageSize ? [[spec.pageSize.param, spec.pageSize.value]] : []),
  templateNames: (spec) => (spec.in === 'path' ? [spec.param] : []),
  lint: (spec, parse) => (spec.totalPagesPath !== undefined ? jsonPathIssues(parse, ['totalPagesPath'], spec.totalPagesPath) : []),
  describe(spec) {
    let how = `counts pages from ${spec.start} in the ${placeText(slot(spec))}${spec.pageSize ? `, ${spec.pageSize.value} items a page in \`${spec.pageSize.param}\`` : ''}`;
    if (spec.totalPagesPath)
      how += `; the first page's \`${spec.totalPagesPath}\` gives the number of pages, and the rest fan out as separate tasks at once`;
    return { how, stops: [] };
  },
  fansOut: (spec) => spec.totalPagesPath !== undefined,
};
