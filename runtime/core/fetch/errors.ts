// One small error class per way a fetch can fail. Each says whether trying
// again could help (`retryable`), so the retry loop and the engine need no
// knowledge of undici's or Node's error codes.

export abstract class FetchError extends Error {
  abstract override readonly name: string;
  abstract readonly retryable: boolean;
  readonly url: string;

  constructor(message: string, url: string, options?: { cause?: unknown }) {
    super(message, options);
    this.url = url;
  }
}

/** A non-2xx status that is not accepted. Retryable when the policy lists the status. */
export class HttpStatusError extends FetchError {
  override readonly name = 'HttpStatusError';
  readonly retryable: boolean;
  readonly status: number;
  /** Delay asked for by a `Retry-After` header, in ms, when there was one. */
  readonly retryAfterMs: number | undefined;

  constructor(url: string, status: number, retryable: boolean, retryAfterMs?: number) {
    super(`HTTP ${status} from ${url}`, url);
    this.status = status;
    this.retryable = retryable;
    this.retryAfterMs = retryAfterMs;
  }
}

/** The connection failed: refused, reset, closed early, name not resolved, body cut short. */
export class NetworkError extends FetchError {
  override readonly name = 'NetworkError';
  readonly retryable = true;
  /** The system or undici error code (ECONNRESET, ENOTFOUND, UND_ERR_SOCKET, ...). */
  readonly code: string | undefined;

  constructor(url: string, code: string | undefined, cause: unknown) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    super(`network error${code ? ` ${code}` : ''} fetching ${url}: ${detail}`, url, { cause });
    this.code = code;
  }
}

/** Headers and body did not arrive within the policy's timeout. */
export class TimeoutError extends FetchError {
  override readonly name = 'TimeoutError';
  readonly retryable = true;
  readonly timeoutMs: number;

  constructor(url: string, timeoutMs: number, cause?: unknown) {
    super(`no complete response from ${url} within ${timeoutMs} ms`, url, { cause });
    this.timeoutMs = timeoutMs;
  }
}

/** The body (raw or decompressed) is larger than `maxResponseBytes`. */
export class ResponseTooLargeError extends FetchError {
  override readonly name = 'ResponseTooLargeError';
  readonly retryable = false;
  readonly limit: number;

  constructor(url: string, limit: number, what: 'body' | 'decompressed body' | 'declared content-length') {
    super(`response from ${url} exceeds ${limit} bytes (${what})`, url);
    this.limit = limit;
  }
}

/** The network guard refused the URL or the address its host resolved to. */
export class BlockedAddressError extends FetchError {
  override readonly name = 'BlockedAddressError';
  readonly retryable = false;
  /** The refused address or host. */
  readonly address: string;
  /** What the address is, e.g. "a loopback address". */
  readonly reason: string;
  /** A cloud metadata endpoint: no `network.allow` entry and no flag opens it. */
  readonly metadata: boolean;

  constructor(url: string, address: string, reason: string, metadata = false) {
    const opens = metadata
      ? 'never reachable: no network.allow entry and no --allow-private-network opens it'
      : 'open it with network.allow or --allow-private-network';
    super(`refused to fetch ${url}: ${address} is ${reason} (${opens})`, url);
    this.address = address;
    this.reason = reason;
    this.metadata = metadata;
  }
}

/** The request cannot be made at all: an unparsable or non-http URL, a bad header or Location. */
export class InvalidRequestError extends FetchError {
  override readonly name = 'InvalidRequestError';
  readonly retryable = false;

  constructor(url: string, reason: string, cause?: unknown) {
    super(`cannot fetch ${JSON.stringify(url)}: ${reason}`, url, { cause });
  }
}

/** More redirects than `maxRedirects`. */
export class TooManyRedirectsError extends FetchError {
  override readonly name = 'TooManyRedirectsError';
  readonly retryable = false;
  /** The URLs visited, the first request first. */
  readonly chain: readonly string[];

  constructor(chain: readonly string[], maxRedirects: number) {
    super(`more than ${maxRedirects} redirects: ${chain.join(' -> ')}`, chain[0] ?? '');
    this.chain = chain;
  }
}

/** A redirect back to a URL already visited in the same chain. */
export class RedirectLoopError extends FetchError {
  override readonly name = 'RedirectLoopError';
  readonly retryable = false;
  /** The URLs visited, the first request first, ending with the repeated one. */
  readonly chain: readonly string[];

  constructor(chain: readonly string[]) {
    super(`redirect loop: ${chain.join(' -> ')}`, chain[0] ?? '');
    this.chain = chain;
  }
}

/** The body could not be decompressed (bad gzip, unknown Content-Encoding). */
export class DecodeError extends FetchError {
  override readonly name = 'DecodeError';
  readonly retryable = false;

  constructor(url: string, detail: string, cause?: unknown) {
    super(`cannot decode response from ${url}: ${detail}`, url, { cause });
  }
}

/** An entry of `network.allow` that is neither a host name, an IP address nor a CIDR range. */
export class InvalidAllowEntryError extends Error {
  override readonly name = 'InvalidAllowEntryError';
  readonly entry: string;

  constructor(entry: string, reason: string) {
    super(`network.allow entry ${JSON.stringify(entry)}: ${reason}`);
    this.entry = entry;
  }
}

/** True for errors worth another try: network errors, timeouts, retryable statuses. */
export function isRetryable(err: unknown): boolean {
  return err instanceof FetchError && err.retryable;
}
