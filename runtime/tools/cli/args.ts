// Option parsing shared by the commands.
import type { Collector } from '../../language/generated/collector.types.ts';
import { variableValueProblem } from '../../language/path-bounds.ts';
import { closest } from '../../language/suggest.ts';
import { UsageError } from './command.ts';

export function parseVars(pairs: readonly string[]): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`--var ${pair}: expected NAME=VALUE`);
    vars[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return vars;
}

/**
 * `--var` may only set what the collector declares: a typo must not be a silent
 * no-op. And a value may not take the output or a start URL's path out of its
 * place (`..` segments, absolute paths, backslashes, control characters): the
 * same rule `collect validate` holds the file's own values to.
 */
export function checkVars(vars: Readonly<Record<string, string>>, collector: Collector): void {
  const declared = Object.keys(collector.variables ?? {});
  for (const [name, value] of Object.entries(vars)) {
    if (!declared.includes(name)) {
      const guess = closest(name, declared);
      const known = declared.length > 0 ? `its variables are ${declared.join(', ')}` : 'it declares no variables';
      throw new UsageError(
        `--var ${name}: ${collector.name} has no variable "${name}"${guess ? ` (did you mean "${guess}"?)` : ''}; ${known}`,
      );
    }
    const problem = variableValueProblem(collector, name, value);
    if (problem) throw new UsageError(`--var ${name}: ${problem.message}${problem.hint ? ` (${problem.hint})` : ''}`);
  }
}

export function optionalInt(value: string | undefined, flag: string, min = 1): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`${flag} takes a whole number of at least ${min}, not "${value}"`);
  return n;
}

export function optionalNumber(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new UsageError(`${flag} takes a number of at least 0, not "${value}"`);
  return n;
}

export type OutputFormat = 'text' | 'json' | 'markdown';

export function outputFormat(value: string | undefined, allowed: readonly OutputFormat[]): OutputFormat {
  const f = (value ?? 'text') as OutputFormat;
  if (!allowed.includes(f)) throw new UsageError(`unknown format "${value}"; use ${allowed.join(', ')}`);
  return f;
}
