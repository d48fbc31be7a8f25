// Records reach gzip in batches: one zlib write per record costs about ten
// times the compression itself when records are small.

const BATCH_CHARS = 64 * 1024;

export class LineBatch {
  private pending = '';

  constructor(private readonly flush: (chunk: string) => void) {}

  add(line: string): void {
    this.pending += `${line}\n`;
    if (this.pending.length >= BATCH_CHARS) this.drain();
  }

  drain(): void {
    if (this.pending) this.flush(this.pending);
    this.pending = '';
  }

  clear(): void {
    this.pending = '';
  }
}
