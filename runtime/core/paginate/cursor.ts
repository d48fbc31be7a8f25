// cursor: each response carries the token of the next page (in its body or a header).
import type { ResolvedCursorPagination } from '../../language/generated/resolved.types.ts';
import { searchJson } from '../extract/links.ts';
import { exactlyOne, jsonPathIssues, placeText } from './checks.ts';
import { slotWithPath } from './placement.ts';
import type { PaginationStrategy, TokenSlot } from './types.ts';

const slot = (spec: ResolvedCursorPagination): TokenSlot => slotWithPath(spec, spec.param);

export const cursor: PaginationStrategy<ResolvedCursorPagination> = {
  paginator: (spec) => ({
    next({ task, page, response }) {
      let token: unknown;
      if (spec.tokenHeader) token = response.headers[spec.tokenHeader.toLowerCase()];
      else if (spec.tokenPath && page) token = searchJson(page, spec.tokenPath);
      if (token === undefined || token === null || token === '' || token === false) return undefined;
      if (typeof token !== 'string' && typeof token !== 'number') return undefined;
      return { url: task.url, token };
    },
  }),
  slot,
  firstToken: () => undefined,
  fixedParams: () => [],
  templateNames: (spec) => (spec.in === 'path' ? [slot(spec).param] : []),
  lint: (spec, parse) => [
    ...exactlyOne(
      { tokenPath: spec.tokenPath !== undefined, tokenHeader: spec.tokenHeader !== undefined },
      'cursor pagination',
      'tokenPath: a JMESPath to the next token; tokenHeader: a response header',
    ),
    ...(spec.tokenPath !== undefined ? jsonPathIssues(parse, ['tokenPath'], spec.tokenPath) : []),
  ],
  describe: (spec) => ({
    how: `sends the token from ${spec.tokenPath ? `\`${spec.tokenPath}\` of each response` : `the \`${spec.tokenHeader}\` response header`} as the ${placeText(slot(spec))}`,
    stops: ['a response carries no token'],
  }),
  fansOut: () => false,
};
