// One line per strategy. The type makes a strategy that the schema has and this
// table lacks a compile error; test/paginate/registry.test.ts checks the table
// against the schema's branches.
import type { ResolvedPagination, ResolvedParse } from '../../language/generated/resolved.types.ts';
import type { Issue } from '../../language/issue.ts';
import { cursor } from './cursor.ts';
import { nextLink } from './next-link.ts';
import { offset } from './offset.ts';
import { pageNumber } from './page-number.ts';
import { jsonPathIssues } from './checks.ts';
import type { PaginationStrategy } from './types.ts';

type Kind = ResolvedPagination['type'];

export const STRATEGIES = {
  'next-link': nextLink,
  'page-number': pageNumber,
  offset,
  cursor,
} satisfies { [K in Kind]: PaginationStrategy<Extract<ResolvedPagination, { type: K }>> };

/** The strategy of a pagination block. */
export function strategyOf(spec: ResolvedPagination): PaginationStrategy {
  // (Each entry takes its own branch; the table above checks that pairing.)
  return STRATEGIES[spec.type] as PaginationStrategy;
}

/** The strategy's own checks and those of the stop rules every strategy shares; paths from the collector's root. */
export function lintPagination(spec: ResolvedPagination, parse: ResolvedParse): Issue[] {
  const issues = [...strategyOf(spec).lint(spec, parse)];
  for (const rule of ['totalPath', 'hasMore', 'done'] as const) {
    const expression = spec.stop[rule];
    if (expression !== undefined) issues.push(...jsonPathIssues(parse, ['stop', rule], expression));
  }
  return issues.map((i) => ({ ...i, path: ['paginate', ...i.path] }));
}
