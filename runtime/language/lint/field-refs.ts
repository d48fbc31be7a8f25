// Options that name record fields must name fields the collector extracts.
import type { Collector } from '../generated/collector.types.ts';
import type { Issue, PathSegment } from '../issue.ts';
import { didYouMean } from '../suggest.ts';
import { eachFollow, recordFieldNames } from './walk.ts';

export function lintFieldReferences(c: Collector): Issue[] {
  const names = recordFieldNames(c);
  const known = new Set(names);
  const issues: Issue[] = [];
  const check = (name: string, path: PathSegment[], at: 'key' | 'value') => {
    if (known.has(name)) return;
    issues.push({ path, at, message: `no field "${name}" is extracted`, hint: didYouMean(name, names) ?? `fields: ${names.join(', ')}` });
  };
  const incremental = c.records?.incremental;
  if (incremental) check(incremental.cursorField, ['records', 'incremental', 'cursorField'], 'value');
  c.records?.dedupeKey?.forEach((name, i) => {
    check(name, ['records', 'dedupeKey', i], 'value');
  });
  for (const name of Object.keys(c.expect?.fillRate ?? {})) check(name, ['expect', 'fillRate', name], 'key');
  for (const name of Object.keys(c.expect?.types ?? {})) check(name, ['expect', 'types', name], 'key');
  // A detail link taken from a field needs the field to exist by the time the link is followed.
  const before = new Set(Object.keys(c.extract?.fields ?? {}));
  for (const { follow, path } of eachFollow(c)) {
    if (follow.field !== undefined && !before.has(follow.field)) {
      issues.push({
        path: [...path, 'field'],
        message: `no field "${follow.field}" is extracted before this follow`,
        hint: didYouMean(follow.field, before) ?? `fields: ${[...before].join(', ')}`,
      });
    }
    for (const name of Object.keys(follow.extract.fields)) before.add(name);
  }
  return issues;
}
