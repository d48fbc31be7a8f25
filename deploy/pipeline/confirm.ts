// The question before `terraform apply`: only a typed "yes" goes on, as with
// Terraform's own prompt. A closed stdin (CI without --yes) is a no.
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';

export async function confirm(question: string, input: Readable, output: Writable): Promise<boolean> {
  output.write(question);
  const lines = createInterface({ input, crlfDelay: Infinity, terminal: false });
  try {
    for await (const line of lines) return line.trim() === 'yes';
    return false;
  } finally {
    lines.close();
  }
}
