// Step 4: each record's detail pages (`follow`), fetched concurrently within
// the fetcher's limits, their fields merged into the record. A detail page that
// fails for good drops its record and is reported; one that may succeed later
// sends the page back for another delivery (RetryableTaskError).
import { isRetryable } from '../../fetch/errors.ts';
import type { DataRecord, ExtractContext } from '../../extract/types.ts';
import { errorMessage, RetryableTaskError } from '../errors.ts';
import { followRecord } from '../follow.ts';
import { detailRequestParts, type DetailRequestParts } from '../request.ts';
import type { TaskContext } from '../task-context.ts';

export class DetailPages {
  private parts: Promise<DetailRequestParts> | undefined;

  constructor(private readonly ctx: TaskContext) {}

  async add(records: DataRecord[], links: (string | undefined)[], from: string, context: ExtractContext): Promise<DataRecord[]> {
    const { ctx } = this;
    const follow = ctx.compiled.follow;
    if (!follow) return records;
    this.parts ??= detailRequestParts(ctx.compiled, ctx.task, ctx.ports.secrets);
    const request = await this.parts;
    const env = { compiled: ctx.compiled, fetcher: ctx.ports.fetcher, request, context, warn: (m: string) => ctx.warn(m) };
    const results = await Promise.all(records.map((r, i) => followRecord(env, r, links[i], from, follow, 1)));
    const out: DataRecord[] = [];
    let pages = 0;
    for (const res of results) {
      pages += res.pages;
      ctx.stats.pages += res.pages;
      ctx.stats.bytes += res.bytes;
      ctx.stats.retries += res.retries;
      if (res.error) {
        if (isRetryable(res.error.err) && !ctx.options.finalAttempt) {
          throw new RetryableTaskError(
            ctx.redact(`detail page ${res.error.url}: ${errorMessage(res.error.err)}`),
            ctx.redact(res.error.url),
            res.error.err,
          );
        }
        ctx.fail(res.error.url, res.error.err);
      } else if (res.record) out.push(res.record);
    }
    ctx.progress({ pages });
    return out;
  }
}
