// What the committed recording of a collector tells, when it has one.
import { access, readFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { resolve } from 'node:path';
import { readHar, type Har } from './har.ts';
import { displayPath, recordingPaths } from './paths.ts';

export interface RecordingInfo {
  har: Har;
  harFile: string;
  /** Mean request time of the recording; undefined when recorded against a local address. */
  meanLatencyMs?: number;
  /** Hosts the recording talked to. */
  hosts: string[];
  /** Gzipped bytes of the expected records, when they exist. */
  expectedGzipBytes?: number;
}

export async function readRecordingInfo(collectorFile: string, cwd: string): Promise<RecordingInfo | undefined> {
  const paths = recordingPaths(resolve(cwd, collectorFile));
  try {
    await access(paths.har);
  } catch {
    return undefined;
  }
  const har = await readHar(paths.har);
  const entries = har.log.entries.filter((e) => !e._error);
  const hosts = [...new Set(har.log.entries.map((e) => hostOf(e.request.url)))];
  const local = hosts.some(isLocalHost);
  const info: RecordingInfo = { har, harFile: displayPath(paths.har, cwd), hosts };
  if (!local && entries.length > 0) info.meanLatencyMs = entries.reduce((n, e) => n + e.time, 0) / entries.length;
  try {
    info.expectedGzipBytes = gzipSync(await readFile(paths.expected)).length;
  } catch {
    // No expected records: the output size falls back to its default.
  }
  return info;
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return '';
  }
}

/** Latency to a server on this machine or this network says nothing about the real site. */
function isLocalHost(host: string): boolean {
  return (
    host === 'localhost' ||
    host === '[::1]' ||
    /^127\./.test(host) ||
    /^10\./.test(host) ||
    /^192\.168\./.test(host) ||
    /^172\.(1[6-9]|2\d|3[01])\./.test(host)
  );
}
