// Ways through a collector that several lint rules share: every field (nested
// ones included) with the parser that reads it, and every level of `follow`.
import type { Collector, Field, Follow, Parse } from '../generated/collector.types.ts';
import type { PathSegment } from '../issue.ts';
import { declaredFieldNames } from '../page-kinds.ts';

type FollowSpec = Follow;

export interface FieldVisit {
  name: string;
  field: Field;
  path: PathSegment[];
  /** How the page holding this field is read. */
  parse: Parse;
}

function* eachField(fields: Readonly<Record<string, Field>>, path: readonly PathSegment[], parse: Parse): Generator<FieldVisit> {
  for (const [name, field] of Object.entries(fields)) {
    const here = [...path, name];
    yield { name, field, path: here, parse };
    if (typeof field === 'object' && field.fields) yield* eachField(field.fields, [...here, 'fields'], parse);
  }
}

export interface FollowVisit {
  follow: FollowSpec;
  path: PathSegment[];
}

/** `follow`, `follow.follow`, … in order. */
export function* eachFollow(c: Collector): Generator<FollowVisit> {
  let follow: FollowSpec | undefined = c.follow;
  const path: PathSegment[] = ['follow'];
  while (follow) {
    yield { follow, path: [...path] };
    follow = follow.follow;
    path.push('follow');
  }
}

/** Every field of the page and of the detail pages, the fields a record can have. */
export function* allFields(c: Collector): Generator<FieldVisit> {
  yield* eachField(c.extract?.fields ?? {}, ['extract', 'fields'], c.parse ?? 'auto');
  for (const { follow, path } of eachFollow(c))
    yield* eachField(follow.extract.fields, [...path, 'extract', 'fields'], follow.parse ?? 'auto');
}

/** Names of the top-level fields of a record (page fields and detail-page fields, of every kind of page). */
export function recordFieldNames(c: Collector): string[] {
  return declaredFieldNames(c);
}
