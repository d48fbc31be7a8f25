// Turns a collector's `start` block into the seed tasks of a run.
import type { ResolvedCollector } from '../../language/generated/resolved.types.ts';
import { render, templateVariables } from '../../language/template.ts';
import { shortHash } from '../hash.ts';
import { runDate } from './run-id.ts';
import type { Task } from './task.ts';
import { countSeeds } from '../../language/seeds.ts';
import { combinations, variableCount, variableValues } from '../../language/variables.ts';
import { strategyOf } from '../paginate/registry.ts';
import { START_KIND } from '../../language/page-kinds.ts';

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

/** `kind`: the page's kind; a start page's id is what it was before kinds existed (a resumed run keeps its ids). */
export function taskId(runId: string, url: string, token: string | number | undefined, kind?: string): string {
  return kind === undefined || kind === START_KIND ? shortHash(runId, url, token) : shortHash(runId, url, token, `kind:${kind}`);
}

/** A collector whose start URLs would make more seeds than `limits.maxSeeds`; refused before any is made. */
export class TooManySeedsError extends Error {
  override readonly name = 'TooManySeedsError';
  constructor(
    readonly seeds: number,
    readonly maxSeeds: number,
  ) {
    super(
      `the start URLs expand to ${seeds} seeds, more than limits.maxSeeds (${maxSeeds}); nothing was planned (collect validate shows which variable to narrow)`,
    );
  }
}

export function planSeeds(collector: ResolvedCollector, options: PlanOptions): Task[] {
  const now = options.now ?? new Date();
  const overrides = options.overrides ?? {};
  const strategy = collector.paginate ? strategyOf(collector.paginate) : undefined;
  const token = collector.paginate ? strategy?.firstToken(collector.paginate) : undefined;
  const slot = collector.paginate ? strategy?.slot(collector.paginate) : undefined;
  const pathParam = slot?.in === 'path' ? slot.param : undefined;
  // Counted before anything is expanded: `collect validate` refuses such a collector, and this holds for one
  // that was not validated (or a --var that was not checked).
  const { total } = countSeeds(collector, { overrides, now, pathParam });
  if (total > collector.limits.maxSeeds) throw new TooManySeedsError(total, collector.limits.maxSeeds);
  // Only what a template can use: the start URLs' variables, and the one-value ones every template may use.
  const used = new Set((collector.start.urls ?? []).flatMap((t) => templateVariables(t)));
  const values = new Map<string, string[]>();
  for (const [name, variable] of Object.entries(collector.variables)) {
    if (Object.hasOwn(overrides, name)) continue;
    if (used.has(name) || variableCount(variable, now) === 1) values.set(name, variableValues(variable, now));
  }
  for (const [name, value] of Object.entries(overrides)) values.set(name, [value]);
  const builtins = builtinVariables(collector, options.runId);

  const tasks: Task[] = [];
  const seen = new Set<string>();
  for (const template of collector.start.urls ?? []) {
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
