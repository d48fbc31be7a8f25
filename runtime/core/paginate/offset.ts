import type { OffsetPagination } from '../../language/generated/collector.types.ts';
import type { Paginator } from './types.ts';

export function offset(spec: OffsetPagination): Paginator {
  return {
    next({ task }) {
      const current = typeof task.token === 'number' ? task.token : Number(task.token ?? spec.start ?? 0);
      return { url: task.url, token: current + spec.limit };
    },
  };
}
