// `${session:NAME}` in a collector's request text: which names it uses, and
// whether a request block uses any (then each page is built again with the
// session's values before it is sent), remembered per block.
import { secretReferencesIn } from '../../language/secret-references.ts';

const uses = new WeakMap<object, boolean>();

/** The names of the `${session:NAME}` references in the strings of `value`, each once. */
function sessionNamesIn(value: unknown): string[] {
  return [
    ...new Set(
      secretReferencesIn(value)
        .filter((r) => r.source === 'session')
        .map((r) => r.key.trim()),
    ),
  ];
}

/** True when the request block's text uses a session value. */
export function usesSessionValues(request: object): boolean {
  let known = uses.get(request);
  if (known === undefined) {
    known = sessionNamesIn(request).length > 0;
    uses.set(request, known);
  }
  return known;
}
