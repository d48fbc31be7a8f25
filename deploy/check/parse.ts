// Parses Terraform files with @cdktf/hcl2json (HashiCorp's HCL parser, compiled
// to WebAssembly), which gives the JSON shape of `.tf.json`: every block is a
// list of objects, every expression a "${...}" string.
import { readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';

export type HclBody = Record<string, unknown>;

export interface HclFile {
  terraform?: HclBody[];
  provider?: Record<string, HclBody[]>;
  variable?: Record<string, HclBody[]>;
  locals?: HclBody[];
  module?: Record<string, HclBody[]>;
  resource?: Record<string, Record<string, HclBody[]>>;
  data?: Record<string, Record<string, HclBody[]>>;
  output?: Record<string, HclBody[]>;
  [other: string]: unknown;
}

interface Hcl2Json {
  parse(filename: string, contents: string): Promise<HclFile>;
}

// Loaded through require: the package's typings reference the DOM library, which
// would leak browser globals into the type checking of the whole project.
const hcl2json = createRequire(import.meta.url)('@cdktf/hcl2json') as Hcl2Json;

export class HclParseError extends Error {
  override readonly name = 'HclParseError';
  constructor(
    readonly file: string,
    detail: string,
  ) {
    super(`${file}: ${detail}`);
  }
}

export async function parseHcl(file: string, text: string): Promise<HclFile> {
  try {
    return await hcl2json.parse(file, text);
  } catch (err) {
    throw new HclParseError(file, err instanceof Error ? err.message : String(err));
  }
}

/** The `.tf` files of one module directory (not its subdirectories), by file name. */
export async function parseModuleDir(dir: string): Promise<Map<string, HclFile>> {
  const names = (await readdir(dir, { withFileTypes: true }))
    .filter((e) => e.isFile() && e.name.endsWith('.tf'))
    .map((e) => e.name)
    .sort();
  const files = new Map<string, HclFile>();
  for (const name of names) files.set(name, await parseHcl(join(dir, name), await readFile(join(dir, name), 'utf8')));
  return files;
}
