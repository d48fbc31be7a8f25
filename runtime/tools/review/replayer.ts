// A Fetcher with no network: it answers from a HAR recording and refuses any
// request that is not in it. Statuses are judged by the policy of the replay,
// so changing `acceptStatuses` in the collector takes effect without re-recording.
import { HttpStatusError } from '../../core/fetch/errors.ts';
import type { FetchPolicy, FetchRequest, FetchResponse, Fetcher } from '../../core/fetch/types.ts';
import { headerRecord, type HarEntry } from './har.ts';
import { replayCookies } from './har-cookies.ts';
import type { Redactor } from './redact.ts';
import { requestKey } from './request-key.ts';

export class RequestNotRecordedError extends Error {
  override readonly name = 'RequestNotRecordedError';
  readonly retryable = false;
  constructor(
    readonly method: string,
    readonly url: string,
    harFile: string,
    collectorFile: string,
  ) {
    super(`${method} ${url} is not in ${harFile}; re-record with collect record ${collectorFile}`);
  }
}

/** A recorded fetch that threw (a network error, a timeout), thrown again. */
class ReplayedFetchError extends Error {
  override readonly name = 'ReplayedFetchError';
  readonly retryable = false;
  constructor(
    readonly url: string,
    readonly recordedName: string,
    recordedMessage: string,
  ) {
    super(`${recordedName} (recorded): ${recordedMessage}`);
  }
}

export interface ReplayerOptions {
  /** Shown in the not-recorded message. */
  harFile: string;
  collectorFile: string;
  /** Applied to each request before lookup, exactly as when recording. */
  redactor: Redactor;
}

export class HarReplayer implements Fetcher {
  private readonly byKey = new Map<string, HarEntry[]>();
  private readonly served = new Map<string, number>();
  /** Requests that were asked for and not found, in order. */
  readonly misses: RequestNotRecordedError[] = [];
  /** Requests answered from the recording. */
  hits = 0;

  constructor(
    entries: readonly HarEntry[],
    private readonly options: ReplayerOptions,
  ) {
    for (const e of entries) {
      const key = requestKey(e.request.method, e.request.url, e.request.postData?.text);
      const list = this.byKey.get(key);
      if (list) list.push(e);
      else this.byKey.set(key, [e]);
    }
  }

  async fetch(request: FetchRequest, policy: FetchPolicy): Promise<FetchResponse> {
    const { redactor } = this.options;
    const method = request.method.toUpperCase();
    const url = redactor.text(request.url);
    const key = requestKey(method, url, request.body !== undefined ? redactor.text(request.body) : undefined);
    const list = this.byKey.get(key);
    if (!list) {
      const err = new RequestNotRecordedError(method, url, this.options.harFile, this.options.collectorFile);
      this.misses.push(err);
      throw err;
    }
    // The same request made twice gets the recorded answers in order, then the last one again.
    const n = this.served.get(key) ?? 0;
    this.served.set(key, n + 1);
    this.hits++;
    const entry = list[Math.min(n, list.length - 1)]!;
    replayCookies(request.cookies, entry);
    return answer(entry, request.url, policy);
  }

  async close(): Promise<void> {}
}

function answer(entry: HarEntry, requestUrl: string, policy: FetchPolicy): FetchResponse {
  const status = entry.response.status;
  const url = entry._finalUrl ?? requestUrl;
  const base = {
    url,
    status,
    headers: headerRecord(entry.response.headers),
    attempts: entry._attempts ?? 1,
    fetchedAt: entry.startedDateTime,
    elapsedMs: entry.time,
  };
  const ok = status >= 200 && status < 300;
  if (!ok && status !== 0) {
    if (policy.acceptStatuses.includes(status)) return { ...base, text: '', bytes: 0, acceptedEmpty: true };
    throw new HttpStatusError(url, status, false);
  }
  if (entry._error) throw new ReplayedFetchError(url, entry._error.name, entry._error.message);
  return { ...base, text: entry.response.content.text ?? '', bytes: entry.response.bodySize, acceptedEmpty: false };
}
