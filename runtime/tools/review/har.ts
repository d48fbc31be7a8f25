// The HAR 1.2 subset a recording uses (http://www.softwareishard.com/blog/har-12-spec/),
// plus the `_collect` fields that make it replayable: the variables, limits and
// clock of the recorded run. Browsers' developer tools open these files as they are.
import { readFile, writeFile } from 'node:fs/promises';

export interface HarNameValue {
  name: string;
  value: string;
}

interface HarRequest {
  method: string;
  url: string;
  httpVersion: string;
  cookies: HarNameValue[];
  headers: HarNameValue[];
  queryString: HarNameValue[];
  postData?: { mimeType: string; text: string };
  headersSize: number;
  bodySize: number;
}

/** A cookie a response set (its value redacted), and the URL of the hop that set it, for the replay's jar. */
export interface HarCookie extends HarNameValue {
  path?: string;
  domain?: string;
  _url?: string;
}

interface HarResponse {
  status: number;
  statusText: string;
  httpVersion: string;
  cookies: HarCookie[];
  headers: HarNameValue[];
  content: { size: number; mimeType: string; text?: string };
  redirectURL: string;
  headersSize: number;
  /** Bytes received on the wire (what the engine counts as downloaded). */
  bodySize: number;
}

/** What a fetch that threw looked like, so the replay throws the same way. */
export interface HarError {
  name: string;
  message: string;
  status?: number;
}

export interface HarEntry {
  startedDateTime: string;
  time: number;
  request: HarRequest;
  response: HarResponse;
  cache: Record<string, never>;
  timings: { send: number; wait: number; receive: number };
  comment?: string;
  /** Final URL after redirects, when it differs from the request URL. */
  _finalUrl?: string;
  _attempts?: number;
  _error?: HarError;
}

/** What the recorded run was, so `collect test` replays it with the same inputs. */
export interface RecordingMeta {
  collector: string;
  /** `--var` values of the recorded run (e.g. `base_url=http://127.0.0.1:PORT`). */
  vars: Record<string, string>;
  limit?: number;
  maxPages?: number;
  /** The run's clock: date variables and `fetchedAt` replay with it. */
  recordedAt: string;
  /** sha256 of the collector file that was recorded. */
  specHash: string;
  summary: RecordingSummary;
}

export interface RecordingSummary {
  /** Every page fetched, listing and detail. */
  pages: number;
  /** Pages of pagination chains (seeds and next pages); the rest are detail pages. */
  listingPages: number;
  /** Items found on the listing pages. */
  items: number;
  records: number;
  tasks: number;
  /** True when the run was not cut short by `--limit` or `--max-pages`. */
  complete: boolean;
}

export interface Har {
  log: {
    version: '1.2';
    creator: { name: string; version: string };
    pages: never[];
    entries: HarEntry[];
    comment?: string;
    _collect?: RecordingMeta;
  };
}

class HarFormatError extends Error {
  override readonly name = 'HarFormatError';
}

export async function readHar(file: string): Promise<Har> {
  const text = await readFile(file, 'utf8');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new HarFormatError(`${file} is not JSON: ${(err as Error).message}`);
  }
  const log = (value as { log?: { entries?: unknown } } | null)?.log;
  if (!log || !Array.isArray(log.entries)) throw new HarFormatError(`${file} is not a HAR file (no log.entries)`);
  return value as Har;
}

export async function writeHar(file: string, har: Har): Promise<void> {
  await writeFile(file, `${JSON.stringify(har, null, 1)}\n`);
}

export function headerList(headers: Record<string, string>): HarNameValue[] {
  return Object.entries(headers).map(([name, value]) => ({ name, value }));
}

/** Lower-cased names, repeated headers joined with ", " (the FetchResponse convention). */
export function headerRecord(list: readonly HarNameValue[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const { name, value } of list) {
    const key = name.toLowerCase();
    out[key] = out[key] === undefined ? value : `${out[key]}, ${value}`;
  }
  return out;
}

export function queryList(url: string): HarNameValue[] {
  try {
    return [...new URL(url).searchParams].map(([name, value]) => ({ name, value }));
  } catch {
    return [];
  }
}
