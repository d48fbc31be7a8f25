// Counts the pages of pagination chains (as opposed to detail pages) by
// listening to the engine's per-page debug line, and sizes what a run would
// log at WARN level. Both feed `explain` and `cost`.
import type { EngineLogger } from '../../core/engine/ports.ts';

export class PageCounter implements EngineLogger {
  listingPages = 0;
  items = 0;
  /** Bytes of the lines a function logging at WARN would write (one JSON line each). */
  warnBytes = 0;

  debug(message: string, extra?: Record<string, unknown>): void {
    if (message !== 'page') return;
    this.listingPages++;
    if (typeof extra?.items === 'number') this.items += extra.items;
  }
  info(): void {}
  warn(message: string, extra?: Record<string, unknown>): void {
    this.warnBytes += lineBytes('WARN', message, extra);
  }
  error(message: string, extra?: Record<string, unknown>): void {
    this.warnBytes += lineBytes('ERROR', message, extra);
  }
}

function lineBytes(level: string, message: string, extra: Record<string, unknown> | undefined): number {
  return Buffer.byteLength(JSON.stringify({ level, message, timestamp: '2024-01-01T00:00:00.000Z', ...extra })) + 1;
}
