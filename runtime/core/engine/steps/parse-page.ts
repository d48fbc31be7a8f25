// Step 2: the body read into a document once (HTML or JSON); a body that cannot
// be read fails this page only.
import { parsePage } from '../../extract/parse.ts';
import type { ParsedPage } from '../../extract/types.ts';
import type { FetchResponse } from '../../fetch/types.ts';
import type { TaskContext } from '../task-context.ts';

/** The document; `null` when the status was accepted as an empty page; undefined when it failed. */
export function readPage(ctx: TaskContext, response: FetchResponse): ParsedPage | null | undefined {
  if (response.acceptedEmpty) return null;
  try {
    return parsePage(response.text, response.headers['content-type'], response.url, ctx.compiled.spec.parse);
  } catch (err) {
    ctx.fail(response.url, err, { status: response.status });
    ctx.progress({ pages: 1, failures: 1 });
    return undefined;
  }
}
