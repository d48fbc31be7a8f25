// A project config that cannot be used: every problem, each pinned to a line when known.

export interface ConfigProblem {
  /** 1-based; 0 when the problem is about the config as a whole. */
  line: number;
  column: number;
  /** Dotted path of the option, e.g. `environments.prod.memoryMb`. */
  path: string;
  message: string;
}

export class ProjectConfigError extends Error {
  override readonly name = 'ProjectConfigError';
  constructor(
    readonly file: string,
    readonly problems: readonly ConfigProblem[],
  ) {
    super(problems.map((p) => formatProblem(file, p)).join('\n'));
  }
}

function formatProblem(file: string, p: ConfigProblem): string {
  const where = p.line > 0 ? `${file}:${p.line}:${p.column}` : file;
  const path = p.path ? `${p.path}: ` : '';
  return `${where} error ${path}${p.message}`;
}
