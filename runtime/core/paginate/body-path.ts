// A dot path into the author's JSON body (`variables.after`): where a page
// token or the incremental mark is written. The value is put there as JSON data
// after the author's text was expanded, so nothing a site sends is ever read as
// a template or a secret reference.

/** `variables.after` -> ['variables', 'after']. The schema's pattern keeps out empty segments. */
export function bodyPath(path: string): string[] {
  return path.split('.');
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * Where a body path stops being writable in `body` (a string or an array on the way), as the
 * segments up to that value; undefined when the path can be written. Missing objects are fine:
 * they are made.
 */
export function blockedAt(body: unknown, path: readonly string[]): string[] | undefined {
  if (!isObject(body)) return [];
  let at: unknown = body;
  for (let i = 0; i < path.length - 1; i++) {
    at = (at as Record<string, unknown>)[path[i]!];
    if (at === undefined || at === null) return undefined;
    if (!isObject(at)) return path.slice(0, i + 1);
  }
  return undefined;
}

/** Writes `value` at `path`, making the objects on the way; replaces what was there. */
export function writeAtPath(body: Record<string, unknown>, path: readonly string[], value: unknown): void {
  const blocked = blockedAt(body, path);
  if (blocked)
    throw new Error(
      `request.body.json${blocked.length ? `.${blocked.join('.')}` : ''} is not an object, so nothing can be written at ${path.join('.')}`,
    );
  let at = body;
  for (const key of path.slice(0, -1)) {
    const next = at[key];
    if (!isObject(next)) at[key] = {};
    at = at[key] as Record<string, unknown>;
  }
  at[path[path.length - 1]!] = value;
}
