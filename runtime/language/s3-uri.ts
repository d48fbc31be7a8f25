// `s3://bucket/prefix` locations: the one place that reads and writes them.
import { literalPrefix, renderKnown } from './template.ts';

export interface S3Location {
  bucket: string;
  /** Without leading or trailing slash; may be empty. */
  prefix: string;
}

class S3UriError extends Error {
  override readonly name = 'S3UriError';
}

/** The parts as written, slashes and all; undefined when it is not an s3:// URI. */
export function splitS3Uri(uri: string): { bucket: string; key: string } | undefined {
  const m = /^s3:\/\/([^/]*)(?:\/(.*))?$/s.exec(uri);
  return m ? { bucket: m[1]!, key: m[2] ?? '' } : undefined;
}

export function parseS3Uri(uri: string): S3Location {
  const parts = splitS3Uri(uri);
  if (!parts || parts.bucket === '') throw new S3UriError(`"${uri}" is not an s3://bucket/prefix URI`);
  return { bucket: parts.bucket, prefix: trimSlashes(parts.key) };
}

export function formatS3Uri(location: S3Location): string {
  return `s3://${location.bucket}/${location.prefix}`;
}

/** Key segments joined with single slashes, empty ones left out. */
export function joinKey(...segments: string[]): string {
  return segments.map(trimSlashes).filter(Boolean).join('/');
}

/**
 * The part of a collector's output prefix that is the same in every run: up to
 * the first template other than `{{ name }}`. It is what the collector owns on
 * AWS (its IAM grant, its state); `templated` says whether the output goes on
 * below it with run templates.
 */
export function fixedPrefix(output: string, collector: string): { bucket: string; literal: string; templated: boolean } {
  const parts = splitS3Uri(renderKnown(output, { name: collector }));
  if (!parts) throw new S3UriError(`"${output}" is not an s3://bucket/prefix URI`);
  const key = parts.key.replace(/^\/+/, '');
  const literal = literalPrefix(key);
  return { bucket: parts.bucket, literal: literal === key ? trimSlashes(key) : literal, templated: literal !== key };
}

function trimSlashes(text: string): string {
  return text.replace(/^\/+|\/+$/g, '');
}
