// Step 4: each record's detail pages (`follow`), fetched concurrently within
// the fetcher's limits, their fields merged into the record. A detail page that
// fails for good drops its record and is reported; one that may succeed later
// sends the page back for another delivery (RetryableTaskError). Records are
// followed a window at a time, not all at once: a page with 100,000 records
// holds a few hundred requests in memory, not 100,000.
import { isRetryable } from '../../fetch/errors.ts';
import type { DataRecord, ExtractContext } from '../../extract/types.ts';
import { errorMessage, RetryableTaskError } from '../errors.ts';
import { followRecord, type FollowResult } from '../follow.ts';
import { detailRequestParts, type DetailRequestParts } from '../request.ts';
import type { TaskContext } from '../task-context.ts';
import { countReused } from '../stats.ts';

/** Records followed at once: enough to keep every host's connections busy, few enough to bound memory. */
function windowOf(ctx: TaskContext): number {
  return Math.max(32, ctx.compiled.policy.rateLimit.concurrency * 4);
}

export class DetailPages {
  private parts: Promise<DetailRequestParts> | undefined;

  constructor(private readonly ctx: TaskContext) {}

  async add(records: DataRecord[], links: (string | undefined)[], from: string, context: ExtractContext): Promise<DataRecord[]> {
    const { ctx } = this;
    const follow = ctx.compiled.follow;
    if (!follow) return records;
    this.parts ??= detailRequestParts(ctx.compiled, ctx.task, ctx.ports.secrets);
    const request = await this.parts;
    const env = {
      compiled: ctx.compiled,
      fetcher: ctx.ports.fetcher,
      request,
      context,
      warn: (m: string) => ctx.warn(m),
      takePage: () => ctx.takePage(),
      givePageBack: () => ctx.givePageBack(),
    };
    const results: FollowResult[] = new Array(records.length);
    let next = 0;
    const worker = async () => {
      while (next < records.length) {
        const i = next++;
        results[i] = await followRecord(env, records[i]!, links[i], from, follow, 1);
      }
    };
    await Promise.all(Array.from({ length: Math.min(windowOf(ctx), records.length) }, worker));
    const out: DataRecord[] = [];
    const refused: string[] = [];
    let pages = 0;
    for (const res of results) {
      pages += res.pages;
      ctx.stats.pages += res.pages;
      if (res.reused) countReused(ctx.stats, res.reused);
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
      } else if (res.refused) refused.push(res.refused);
      else if (res.record) out.push(res.record);
    }
    ctx.progress({ pages });
    if (refused.length > 0) {
      const n = refused.length;
      ctx.pagesRefused(
        from,
        `${n} detail page${n === 1 ? ' of this page was' : 's of this page were'} not fetched (the first: ${refused[0]}); ${n === 1 ? 'its record is' : 'their records are'} left out`,
      );
    }
    return out;
  }
}
