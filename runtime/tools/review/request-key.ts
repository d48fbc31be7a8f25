// How a recorded exchange is found again: method and URL, plus a hash of the
// body when there is one (two POSTs to one URL with different bodies differ).
import { sha256Hex } from '../../core/hash.ts';

export function requestKey(method: string, url: string, body: string | undefined): string {
  const base = `${method.toUpperCase()} ${url}`;
  return body ? `${base} #${sha256Hex(body).slice(0, 16)}` : base;
}
