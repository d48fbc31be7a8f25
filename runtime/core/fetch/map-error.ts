// Turns what undici and Node throw into the fetch layer's own errors, so that
// callers only ever see FetchError kinds (or the caller's own abort reason).
import { BlockedAddressError, FetchError, InvalidRequestError, NetworkError, TimeoutError } from './errors.ts';

const timeoutCodes = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT', 'ETIMEDOUT']);
const invalidCodes = new Set([
  'UND_ERR_INVALID_ARG',
  'UND_ERR_NOT_SUPPORTED',
  'ERR_INVALID_ARG_TYPE',
  'ERR_INVALID_ARG_VALUE',
  'ERR_INVALID_CHAR',
  'ERR_INVALID_URL',
]);

function codeOf(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

export function toFetchError(err: unknown, url: string, timeoutMs: number): FetchError {
  // The guard's lookup knows only the host name; say which URL it refused.
  if (err instanceof BlockedAddressError)
    return err.url === url ? err : new BlockedAddressError(url, err.address, err.reason, err.metadata);
  if (err instanceof FetchError) return err;
  const cause = (err as { cause?: unknown } | null)?.cause;
  if (cause instanceof FetchError) return toFetchError(cause, url, timeoutMs);
  const code = codeOf(err);
  if (code !== undefined && timeoutCodes.has(code)) return new TimeoutError(url, timeoutMs, err);
  if (code !== undefined && invalidCodes.has(code)) {
    return new InvalidRequestError(url, err instanceof Error ? err.message : String(err), err);
  }
  return new NetworkError(url, code ?? codeOf(cause), err);
}
