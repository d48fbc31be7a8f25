// The deployment package: the bundle zipped with fixed timestamps, so the same
// source always makes the same zip (and Terraform's source hash changes only
// when the code does).
import { readFile, writeFile } from 'node:fs/promises';
import { zipSync } from 'fflate';

/** 1980-01-01, the earliest time a zip entry can carry. */
const FIXED_TIME = new Date(1980, 0, 1);

export async function writeZip(zipFile: string, entries: Record<string, string>): Promise<number> {
  const files: Record<string, [Uint8Array, { level: 9; mtime: Date }]> = {};
  for (const [name, path] of Object.entries(entries)) files[name] = [new Uint8Array(await readFile(path)), { level: 9, mtime: FIXED_TIME }];
  const zip = zipSync(files);
  await writeFile(zipFile, zip);
  return zip.byteLength;
}
