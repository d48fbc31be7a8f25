// The project's collectors as local tables: every collector file of the
// project (or the paths given), loaded as `collect validate` loads them.
import { formatText, hasErrors } from '../../language/diagnostic.ts';
import { loadCollectors } from '../../language/load.ts';
import { localTables, type LocalTable } from './local-tables.ts';

export interface ProjectTables {
  tables: LocalTable[];
  /** Collectors without a table, and why. */
  skipped: { collector: string; why: string }[];
  /** Collector files left out because they have errors (formatted diagnostics). */
  errors?: string;
}

export async function projectTables(paths: string[], cwd: string, out: string): Promise<ProjectTables> {
  const { loaded, diagnostics } = await loadCollectors(paths, cwd);
  const { tables, skipped } = localTables(
    loaded.map((l) => l.collector),
    out,
  );
  return {
    tables,
    skipped,
    ...(hasErrors(diagnostics) ? { errors: formatText(diagnostics.filter((d) => d.severity === 'error')).trimEnd() } : {}),
  };
}
