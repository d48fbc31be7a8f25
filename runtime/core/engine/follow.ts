// Detail pages: fetched for each record of a listing page, their fields merged
// into the record (detail fields win), nested as deep as `maxDepth` allows.
// Each detail page is taken from the run's page budget before it is requested;
// one the budget refuses drops its record (`refused`), as a failed page does.
import { parsePage } from '../extract/parse.ts';
import type { DataRecord, ExtractContext } from '../extract/types.ts';
import type { Fetcher, FetchResponse } from '../fetch/types.ts';
import type { CompiledCollector, CompiledFollow } from './compile.ts';
import { detailRequest, type DetailRequestParts } from './request.ts';

export interface FollowResult {
  record?: DataRecord;
  /** Set when the record had to be dropped. */
  error?: { url: string; err: unknown };
  /** The URL of a detail page not fetched because the run reached limits.maxPages; the record is dropped. */
  refused?: string;
  pages: number;
  bytes: number;
  retries: number;
  /** Of `pages`, those the fetch-once layer answered without a request. */
  reused: number;
}

export interface FollowEnv {
  compiled: CompiledCollector;
  fetcher: Fetcher;
  request: DetailRequestParts;
  context: Omit<ExtractContext, 'url' | 'fetchedAt'>;
  warn(message: string): void;
  /** Takes a page from the run's budget (limits.maxPages); false at the ceiling. */
  takePage(): boolean;
  givePageBack(): void;
}

export function hostAllowed(link: string, from: string, follow: CompiledFollow): boolean {
  const host = new URL(link).hostname;
  if (follow.allowedHosts) return follow.allowedHosts.includes(host);
  return host === new URL(from).hostname;
}

export async function followRecord(
  env: FollowEnv,
  record: DataRecord,
  link: string | undefined,
  from: string,
  follow: CompiledFollow,
  depth: number,
): Promise<FollowResult> {
  const result: FollowResult = { record, pages: 0, bytes: 0, retries: 0, reused: 0 };
  const target = link ?? (follow.field ? fieldLink(record[follow.field], from) : undefined);
  if (!target) return result;
  if (!hostAllowed(target, from, follow)) {
    env.warn(`follow: ${new URL(target).hostname} is not an allowed host; record kept without detail fields`);
    return result;
  }
  const request = detailRequest(target, env.request);
  if (!env.takePage()) return { ...result, record: undefined, refused: target };
  let response: FetchResponse;
  try {
    response = await env.fetcher.fetch(request, env.compiled.policy);
  } catch (err) {
    env.givePageBack();
    return { ...result, record: undefined, error: { url: target, err } };
  }
  result.pages++;
  if (response.reused) result.reused++;
  result.bytes += response.bytes;
  result.retries += response.attempts - 1;
  if (response.acceptedEmpty) return result;
  try {
    const page = parsePage(response.text, response.headers['content-type'], response.url, follow.parse);
    const extracted = follow.extractor.extract(page, { ...env.context, url: response.url, fetchedAt: response.fetchedAt });
    for (const w of extracted.warnings ?? []) env.warn(w);
    const detail = extracted.records[0];
    if (!detail) {
      const why = extracted.errors[0];
      return {
        ...result,
        record: undefined,
        error: { url: target, err: new Error(why ? `field ${why.field}: ${why.message}` : 'detail page yielded no record') },
      };
    }
    let merged: DataRecord = { ...record, ...detail };
    if (follow.next && depth < follow.maxDepth) {
      const nested = await followRecord(env, merged, extracted.links[0], response.url, follow.next, depth + 1);
      result.pages += nested.pages;
      result.reused += nested.reused;
      result.bytes += nested.bytes;
      result.retries += nested.retries;
      if (nested.error || nested.refused || !nested.record) {
        const { error, refused } = nested;
        return { ...result, record: undefined, ...(error ? { error } : {}), ...(refused ? { refused } : {}) };
      }
      merged = nested.record;
    }
    return { ...result, record: merged };
  } catch (err) {
    // Any failure to read the page (too deep, too many items, a stack overflow in a library) fails this page only.
    return { ...result, record: undefined, error: { url: target, err } };
  }
}

function fieldLink(value: unknown, from: string): string | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  try {
    return new URL(value, from).href;
  } catch {
    return undefined;
  }
}
