import { createHash } from 'node:crypto';

/** Short, stable identifier for ids and keys; 16 hex digits make a collision within a run negligible. */
export function shortHash(...parts: (string | number | undefined)[]): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(p === undefined ? '\u0000' : String(p)).update('\u0001');
  return h.digest('hex').slice(0, 16);
}

export function sha256Hex(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex');
}
