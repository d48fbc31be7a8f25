import type { Pagination } from '../../language/generated/collector.types.ts';
import { cursor } from './cursor.ts';
import { nextLink } from './next-link.ts';
import { offset } from './offset.ts';
import { pageNumber } from './page-number.ts';
import type { Paginator } from './types.ts';

type Strategy<T extends Pagination['type']> = (spec: Extract<Pagination, { type: T }>) => Paginator;

// One line per strategy; a strategy added to the schema but not here fails to compile.
const strategies: { [T in Pagination['type']]: Strategy<T> } = {
  'next-link': nextLink,
  'page-number': pageNumber,
  offset,
  cursor,
};

export function createPaginator(spec: Pagination): Paginator {
  const make = strategies[spec.type] as Strategy<Pagination['type']>;
  return make(spec);
}
