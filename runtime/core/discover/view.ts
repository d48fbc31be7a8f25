// The compiled view a task runs with: that of the kind of page it names
// (core/discover/kinds.ts), the start kind when it names none.
import { START_KIND } from '../../language/page-kinds.ts';
import type { CompiledCollector } from '../engine/compile.ts';
import type { Task } from '../engine/task.ts';

class UnknownKindError extends Error {
  override readonly name = 'UnknownKindError';
}

export function viewFor(compiled: CompiledCollector, task: Pick<Task, 'id' | 'kind'>): CompiledCollector {
  const name = task.kind ?? START_KIND;
  const view = compiled.kinds.get(name);
  if (view) return view;
  throw new UnknownKindError(
    `task ${task.id} is a page of kind "${name}", which ${compiled.spec.name} does not have (kinds: ${[...compiled.kinds.keys()].join(', ')}); the collector changed since the task was made`,
  );
}
