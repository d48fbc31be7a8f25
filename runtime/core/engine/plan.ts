// Turns a collector's `start` block into the seed tasks of a run.
import type { ResolvedCollector } from '../../language/generated/resolved.types.ts';
import { render, templateVariables } from '../../language/template.ts';
import { shortHash } from '../hash.ts';
import { runDate } from './run-id.ts';
import type { Task } from './task.ts';
import { combinations, variableValues } from '../../language/variables.ts';
import { strategyOf } from '../paginate/registry.ts';

export interface PlanOptions {
  runId: string;
  /** `--var k=v` overrides; they replace the declared variable entirely. */
  overrides?: Record<string, string>;
  now?: Date;
}

/** Built-in template variables of a run. */
export function builtinVariables(collector: Pick<ResolvedCollector, 'name'>, runId: string): Record<string, string> {
  return { name: collector.name, runId, date: runDate(runId) };
}

export function taskId(runId: string, url: string, token: string | number | undefined): string {
  return shortHash(runId, url, token);
}

export function planSeeds(collector: ResolvedCollector, options: PlanOptions): Task[] {
  const now = options.now ?? new Date();
  const values = new Map<string, string[]>();
  for (const [name, variable] of Object.entries(collector.variables)) values.set(name, variableValues(variable, now));
  for (const [name, value] of Object.entries(options.overrides ?? {})) values.set(name, [value]);
  const builtins = builtinVariables(collector, options.runId);
  const strategy = collector.paginate ? strategyOf(collector.paginate) : undefined;
  const token = collector.paginate ? strategy?.firstToken(collector.paginate) : undefined;
  const slot = collector.paginate ? strategy?.slot(collector.paginate) : undefined;
  const pathParam = slot?.in === 'path' ? slot.param : undefined;

  const tasks: Task[] = [];
  const seen = new Set<string>();
  for (const template of collector.start.urls) {
    const used = templateVariables(template).filter((n) => values.has(n) && n !== pathParam);
    for (const combo of combinations(used, values)) {
      const vars = { ...builtins, ...constants(values), ...combo };
      const url = render(template, pathParam && token !== undefined ? { ...vars, [pathParam]: String(token) } : vars);
      const id = taskId(options.runId, url, token);
      if (seen.has(id)) continue;
      seen.add(id);
      tasks.push({
        id,
        runId: options.runId,
        collector: collector.name,
        url,
        vars: { ...options.overrides, ...combo },
        page: 1,
        ...(token !== undefined ? { token } : {}),
        ...(pathParam ? { template } : {}),
        hop: 0,
        itemsSeen: 0,
        recent: [],
      });
    }
  }
  return tasks;
}

/** Single-valued variables, available to every template (headers, body, output). */
function constants(values: ReadonlyMap<string, string[]>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, vs] of values) if (vs.length === 1) out[name] = vs[0]!;
  return out;
}
