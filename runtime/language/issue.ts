// A problem described by where it is in the document (a path of keys and
// indices), before it is pinned to a line and column by the YAML source.
import type { Severity } from './diagnostic.ts';

export type PathSegment = string | number;

/**
 * What a problem points at: the key (an unknown option, a misnamed reference), the
 * value (a wrong value; the default), or the mapping that holds it (a missing option).
 */
export type Anchor = 'key' | 'value' | 'container';

export interface Issue {
  path: readonly PathSegment[];
  at?: Anchor;
  /** Text inside a string value to point at exactly (a `{{ var }}` inside a URL). */
  needle?: string;
  message: string;
  hint?: string;
  severity?: Severity;
}

const PLAIN_KEY = /^[A-Za-z0-9_$-]+$/;

/** `extract.fields.price`, `start.urls[0]`, `request.headers["Accept.Language"]`. */
export function displayPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (PLAIN_KEY.test(seg)) out += out ? `.${seg}` : seg;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

/** Segments of a JSON Pointer (`/extract/fields/a~1b` -> ['extract', 'fields', 'a/b']). */
export function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}
