// A Fetcher that passes every request to a real one and keeps each exchange as
// a HAR entry, secrets redacted. Entries stay in the order the requests were
// made, which is how developer tools show them. They are redacted when the
// recording is read, not when the exchange ends: a login step's response holds
// the value the step takes from it (a CSRF token, a session token), and that
// value is known to be a secret only once it has been taken.
import { HttpStatusError } from '../../core/fetch/errors.ts';
import type { FetchPolicy, FetchRequest, FetchResponse, Fetcher } from '../../core/fetch/types.ts';
import { capturingCookies } from './har-cookies.ts';
import { headerList, queryList, type HarCookie, type HarEntry, type HarError } from './har.ts';
import { REDACTED, type Redactor } from './redact.ts';

export class HarRecorder implements Fetcher {
  private readonly slots: ((() => HarEntry) | undefined)[] = [];

  constructor(
    private readonly inner: Fetcher,
    private readonly redactor: Redactor,
  ) {}

  async fetch(request: FetchRequest, policy: FetchPolicy, signal?: AbortSignal): Promise<FetchResponse> {
    const slot = this.slots.push(undefined) - 1;
    const started = new Date();
    const clock = performance.now();
    const cookies: HarCookie[] = [];
    const sent = request.cookies ? { ...request, cookies: capturingCookies(request.cookies, cookies) } : request;
    try {
      const response = await this.inner.fetch(sent, policy, signal);
      this.slots[slot] = () => this.entry(request, policy, started, response, cookies);
      return response;
    } catch (err) {
      const ms = Math.round(performance.now() - clock);
      this.slots[slot] = () => this.failedEntry(request, policy, started, ms, err, cookies);
      throw err;
    }
  }

  async close(): Promise<void> {
    await this.inner.close();
  }

  /** The exchanges so far, in request order (requests still in flight are left out). */
  entries(): HarEntry[] {
    return this.slots.filter((e): e is () => HarEntry => e !== undefined).map((make) => make());
  }

  /** The cookies an exchange set, values redacted whatever they are (as Set-Cookie headers are). */
  private harCookies(cookies: readonly HarCookie[]): HarCookie[] {
    return cookies.map((c) => ({ ...c, value: REDACTED, ...(c._url ? { _url: this.redactor.text(c._url) } : {}) }));
  }

  private entry(
    request: FetchRequest,
    policy: FetchPolicy,
    started: Date,
    response: FetchResponse,
    cookies: readonly HarCookie[],
  ): HarEntry {
    const r = this.redactor;
    const text = r.text(response.text);
    const mimeType = response.headers['content-type'] ?? '';
    const finalUrl = r.text(response.url);
    const requestUrl = r.text(request.url);
    return {
      // fetchedAt is what records see as `context: fetchedAt`; the replay hands it back unchanged.
      startedDateTime: response.fetchedAt || started.toISOString(),
      time: response.elapsedMs,
      request: this.harRequest(request, policy),
      response: {
        status: response.status,
        statusText: '',
        httpVersion: 'HTTP/1.1',
        cookies: this.harCookies(cookies),
        headers: headerList(r.headers(response.headers)),
        content: { size: Buffer.byteLength(text), mimeType, text },
        redirectURL: '',
        headersSize: -1,
        bodySize: response.bytes,
      },
      cache: {},
      timings: { send: 0, wait: response.elapsedMs, receive: 0 },
      ...(finalUrl !== requestUrl ? { _finalUrl: finalUrl } : {}),
      ...(response.attempts !== 1 ? { _attempts: response.attempts } : {}),
    };
  }

  private failedEntry(
    request: FetchRequest,
    policy: FetchPolicy,
    started: Date,
    ms: number,
    err: unknown,
    cookies: readonly HarCookie[],
  ): HarEntry {
    const status = err instanceof HttpStatusError ? err.status : 0;
    const error: HarError = {
      name: err instanceof Error ? err.name : 'Error',
      message: this.redactor.text(err instanceof Error ? err.message : String(err)),
      ...(status ? { status } : {}),
    };
    return {
      startedDateTime: started.toISOString(),
      time: ms,
      request: this.harRequest(request, policy),
      response: {
        status,
        statusText: '',
        httpVersion: 'HTTP/1.1',
        cookies: this.harCookies(cookies),
        headers: [],
        content: { size: 0, mimeType: '' },
        redirectURL: '',
        headersSize: -1,
        bodySize: 0,
      },
      cache: {},
      timings: { send: 0, wait: ms, receive: 0 },
      comment: error.message,
      _error: error,
    };
  }

  private harRequest(request: FetchRequest, policy: FetchPolicy): HarEntry['request'] {
    const r = this.redactor;
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers)) headers[name.toLowerCase()] = value;
    headers['user-agent'] ??= policy.userAgent;
    const url = r.text(request.url);
    const body = request.body !== undefined ? r.text(request.body) : undefined;
    return {
      method: request.method.toUpperCase(),
      url,
      httpVersion: 'HTTP/1.1',
      cookies: [],
      headers: headerList(r.headers(headers)),
      queryString: queryList(url),
      ...(body !== undefined ? { postData: { mimeType: headers['content-type'] ?? '', text: body } } : {}),
      headersSize: -1,
      bodySize: body !== undefined ? Buffer.byteLength(body) : 0,
    };
  }
}
