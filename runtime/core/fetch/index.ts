// The public face of the fetch layer.
export type { FetchPolicy, FetchRequest, FetchResponse, FetchRetryInfo, Fetcher, RetryPolicy } from './types.ts';
export { HttpFetcher, ACCEPT_ENCODING } from './http-fetcher.ts';
export type { FetchStats, HttpFetcherOptions } from './http-fetcher.ts';
export { resolvePolicy } from './policy.ts';
export type { PolicyOptions } from './policy.ts';
export {
  FetchError,
  HttpStatusError,
  NetworkError,
  TimeoutError,
  ResponseTooLargeError,
  BlockedAddressError,
  InvalidRequestError,
  TooManyRedirectsError,
  RedirectLoopError,
  DecodeError,
  InvalidAllowEntryError,
  isRetryable,
} from './errors.ts';
export { backoffDelay, parseRetryAfter, retryDelay } from './backoff.ts';
export { checkAddress, checkUrl, parseAllowList, NetworkGuard, guardFor, systemResolver } from './guard.ts';
export type { GuardPolicy, GuardVerdict, Resolver } from './guard.ts';
export { HostRateLimiter } from './rate-limit.ts';
export type { HostLimits } from './rate-limit.ts';
export { decodeText, detectCharset } from './charset.ts';
export { readBody, parseContentEncoding } from './decode.ts';
