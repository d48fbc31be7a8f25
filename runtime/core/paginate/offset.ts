// offset: an offset stepping by the page size (0, N, 2N, …), with the size in its own parameter.
import type { ResolvedOffsetPagination } from '../../language/generated/resolved.types.ts';
import { placeText } from './checks.ts';
import { slotWithPath } from './placement.ts';
import type { PaginationStrategy, TokenSlot } from './types.ts';

const slot = (spec: ResolvedOffsetPagination): TokenSlot => slotWithPath(spec, spec.offsetParam);

export const offset: PaginationStrategy<ResolvedOffsetPagination> = {
  paginator: (spec) => ({
    next({ task }) {
      const current = typeof task.token === 'number' ? task.token : Number(task.token ?? spec.start);
      return { url: task.url, token: current + spec.limit };
    },
  }),
  slot,
  firstToken: (spec) => spec.start,
  fixedParams: (spec) => [[spec.limitParam, spec.limit]],
  templateNames: (spec) => (spec.in === 'path' ? [spec.offsetParam, spec.limitParam] : []),
  lint: () => [],
  describe: (spec) => ({
    how: `steps the ${placeText(slot(spec))} from ${spec.start} by ${spec.limit} (\`${spec.limitParam}\`)`,
    stops: [],
  }),
  fansOut: () => false,
};
