// How many pages and tasks a full run has: measured by the last run's manifest
// or a complete recording, or extrapolated from a short recording with the
// collector's own numbers (expect.minRecords, stop.maxPages).
import { readFile } from 'node:fs/promises';
import type { Manifest } from '../../core/output/manifest.ts';
import type { ResolvedCollector } from '../../language/generated/resolved.types.ts';
import { strategyOf } from '../../core/paginate/registry.ts';
import type { Measured } from './cost.ts';
import type { RecordingSummary } from './har.ts';

interface RecordingShape {
  listingPages: number;
  itemsPerListingPage: number;
  detailPagesPerItem: number;
}

export interface RunVolume {
  pages: Measured;
  tasks: Measured;
  seeds: number;
  shape?: RecordingShape;
}

class ManifestError extends Error {
  override readonly name = 'ManifestError';
}

export type ManifestSample = Pick<Manifest, 'collector' | 'runId' | 'pages' | 'tasks' | 'records' | 'durationMs' | 'bytes'>;

export async function readManifest(file: string): Promise<ManifestSample> {
  let value: unknown;
  try {
    value = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    throw new ManifestError(`cannot read the manifest ${file}: ${(err as Error).message}`);
  }
  const m = value as Partial<Manifest>;
  for (const k of ['pages', 'tasks', 'records', 'durationMs'] as const) {
    if (typeof m[k] !== 'number') throw new ManifestError(`${file} is not a run manifest (no number "${k}")`);
  }
  return m as ManifestSample;
}

function recordingShape(s: RecordingSummary): RecordingShape | undefined {
  if (s.listingPages <= 0 || s.items <= 0) return undefined;
  return {
    listingPages: s.listingPages,
    itemsPerListingPage: s.items / s.listingPages,
    detailPagesPerItem: Math.max(0, s.pages - s.listingPages) / s.items,
  };
}

export interface VolumeSources {
  collector: ResolvedCollector;
  seeds: number;
  manifest?: { file: string; sample: ManifestSample };
  recording?: { file: string; summary: RecordingSummary };
}

export function estimateVolume({ collector, seeds, manifest, recording }: VolumeSources): RunVolume {
  const shape = recording ? recordingShape(recording.summary) : undefined;
  const pagesPerTask = collector.scaling.pagesPerTask;
  const fansOut = collector.paginate ? strategyOf(collector.paginate).fansOut(collector.paginate) : false;
  const tasksFor = (listingPages: number): number =>
    fansOut ? Math.max(seeds, listingPages) : seeds * Math.ceil(listingPages / Math.max(1, seeds) / pagesPerTask);
  const withShape = (records: number, why: string): RunVolume => {
    const listing = Math.ceil(records / shape!.itemsPerListingPage);
    const pages = listing + Math.round(records * shape!.detailPagesPerItem);
    return {
      pages: { value: pages, source: why },
      tasks: { value: tasksFor(listing), source: `estimated: ${listing} listing pages, ${pagesPerTask} pages per task` },
      seeds,
      shape: shape!,
    };
  };

  if (manifest) {
    const m = manifest.sample;
    return {
      pages: { value: m.pages, source: `manifest ${manifest.file} (run ${m.runId ?? '?'})` },
      tasks: { value: m.tasks, source: `manifest ${manifest.file}` },
      seeds,
      ...(shape ? { shape } : {}),
    };
  }
  if (recording?.summary.complete) {
    const s = recording.summary;
    return {
      pages: { value: s.pages, source: `${recording.file} (a complete run)` },
      tasks: { value: s.tasks, source: `${recording.file} (a complete run)` },
      seeds,
      ...(shape ? { shape } : {}),
    };
  }
  const minRecords = collector.expect?.minRecords;
  if (shape && minRecords) {
    const details = `${fmt1(shape.detailPagesPerItem)} detail page${shape.detailPagesPerItem === 1 ? '' : 's'}`;
    return withShape(
      minRecords,
      `estimated from expect.minRecords (${minRecords}) and ${recording!.file}: ${fmt1(shape.itemsPerListingPage)} items per listing page, ${details} per item`,
    );
  }
  const maxPages = collector.paginate?.stop.maxPages;
  if (shape && maxPages) {
    return withShape(
      seeds * maxPages * shape.itemsPerListingPage,
      `upper bound: ${seeds} seeds x stop.maxPages ${maxPages} with the shape of ${recording!.file}`,
    );
  }
  if (recording) {
    return {
      pages: { value: recording.summary.pages, source: `${recording.file} (cut short: a full run has more; pass --pages)` },
      tasks: { value: recording.summary.tasks, source: recording.file },
      seeds,
      ...(shape ? { shape } : {}),
    };
  }
  return {
    pages: { value: seeds, source: 'default: one page per seed (no manifest or recording; pass --pages)' },
    tasks: { value: seeds, source: 'default: one task per seed' },
    seeds,
  };
}

function fmt1(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(2);
}
