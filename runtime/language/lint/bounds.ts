// Output locations and variable values stay in their place: the output's
// literal text and every value a variable can take where it is used in the
// output or in a start URL's path (language/path-bounds.ts says what that
// excludes). Values are those written in the file; `--var` values are checked
// the same way by the CLI, and the sinks check every key again when they write.
import { DateTime } from 'luxon';
import type { Collector } from '../generated/collector.types.ts';
import type { Issue, PathSegment } from '../issue.ts';
import { keyProblem, tidyKey, variablePlaces, variableValueProblem } from '../path-bounds.ts';
import { splitS3Uri } from '../s3-uri.ts';
import { withoutPlaceholders } from '../template.ts';

/** A date variable's values differ only in their digits: one of them shows what its format makes. */
const SAMPLE_DAY = DateTime.fromISO('2024-01-15T00:00:00', { zone: 'UTC' });

export function lintBounds(c: Collector): Issue[] {
  const issues: Issue[] = [];
  const location = splitS3Uri(c.output);
  if (location && location.bucket !== '') {
    const problem = keyProblem(withoutPlaceholders(`${location.bucket}/${location.key}`, 'x'));
    if (problem) {
      // The output itself is wrong; its variables are judged once it is fixed.
      const fixed = `s3://${location.bucket}/${tidyKey(location.key)}`;
      issues.push({ path: ['output'], ...problem, ...(keyProblem(fixed.slice(5)) ? {} : { hint: `write ${fixed}` }) });
      return issues;
    }
  }
  for (const [name, variable] of Object.entries(c.variables ?? {})) {
    if (variablePlaces(c, name).length === 0) continue;
    for (const { value, path } of samples(name, variable)) {
      const problem = variableValueProblem(c, name, value);
      if (problem) issues.push({ path, ...problem });
    }
  }
  return issues;
}

/** The values of a variable that could hold a path trick, with where each is written. Integer ranges cannot. */
function* samples(name: string, variable: NonNullable<Collector['variables']>[string]): Generator<{ value: string; path: PathSegment[] }> {
  const base = ['variables', name];
  if (typeof variable === 'string' || typeof variable === 'number') yield { value: String(variable), path: base };
  else if (variable.values) for (const [i, v] of variable.values.entries()) yield { value: String(v), path: [...base, 'values', i] };
  else if (variable.dates?.format !== undefined) {
    const value = SAMPLE_DAY.toFormat(variable.dates.format);
    yield { value, path: [...base, 'dates', 'format'] };
  }
}
