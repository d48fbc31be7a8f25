// Where a strategy's number or token goes, shared by the planner and the request builder.
import type { Pagination } from '../../language/generated/collector.types.ts';

export type TokenPlace = 'query' | 'header' | 'body' | 'path';

export interface TokenSlot {
  param: string;
  in: TokenPlace;
}

/** The parameter a strategy writes its number or token into; next-link has none. */
export function tokenSlot(paginate: Pagination | undefined): TokenSlot | undefined {
  switch (paginate?.type) {
    case 'page-number':
      return { param: paginate.param ?? 'page', in: paginate.in ?? 'query' };
    case 'offset':
      return { param: paginate.offsetParam ?? 'offset', in: paginate.in ?? 'query' };
    case 'cursor':
      return { param: paginate.param, in: paginate.in ?? 'query' };
    default:
      return undefined;
  }
}

/** The value sent with the first page; a cursor chain starts without one. */
export function firstToken(paginate: Pagination | undefined): number | undefined {
  if (paginate?.type === 'page-number') return paginate.start ?? 1;
  if (paginate?.type === 'offset') return paginate.start ?? 0;
  return undefined;
}

/** The URL template variable a strategy fills, when it writes into the path. */
export function usesPathToken(paginate: Pagination | undefined): string | undefined {
  const slot = tokenSlot(paginate);
  return slot?.in === 'path' ? slot.param : undefined;
}
