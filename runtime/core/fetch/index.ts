// The public face of the fetch layer.
export { HttpFetcher } from './http-fetcher.ts';
export { resolvePolicy } from './policy.ts';
