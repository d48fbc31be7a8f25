// The figures of a crawl and how crawlers compare, as plain functions of the measurements.
import type { Measured } from './measure.ts';

export interface CrawlFigures {
  pagesPerSec: number;
  cpuS: number;
  cpuMsPerPage: number;
  rssMiB: number;
  wallS: number;
}

export function median(values: readonly number[]): number {
  const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return NaN;
  const mid = v.length >> 1;
  return v.length % 2 ? v[mid]! : (v[mid - 1]! + v[mid]!) / 2;
}

export function figures(m: Pick<Measured, 'wallMs' | 'userS' | 'sysS' | 'maxRssKiB'>, pages: number): CrawlFigures {
  const cpuS = m.userS + m.sysS;
  return {
    pagesPerSec: pages / (m.wallMs / 1000),
    cpuS,
    cpuMsPerPage: (cpuS * 1000) / pages,
    rssMiB: m.maxRssKiB / 1024,
    wallS: m.wallMs / 1000,
  };
}

/** The median of each figure over several runs. */
export function medianFigures(runs: readonly CrawlFigures[]): CrawlFigures {
  const pick = (k: keyof CrawlFigures) => median(runs.map((r) => r[k]));
  return {
    pagesPerSec: pick('pagesPerSec'),
    cpuS: pick('cpuS'),
    cpuMsPerPage: pick('cpuMsPerPage'),
    rssMiB: pick('rssMiB'),
    wallS: pick('wallS'),
  };
}

/**
 * How many times better `ours` is than `peer`, each way the figure reads best above 1:
 * speed = ours pages/s ÷ peer pages/s; cpu = peer CPU ms a page ÷ ours; rss = peer peak RSS ÷ ours.
 */
export interface Ratio {
  speed: number;
  cpu: number;
  rss: number;
}

export function ratio(ours: CrawlFigures, peer: CrawlFigures): Ratio {
  return { speed: ours.pagesPerSec / peer.pagesPerSec, cpu: peer.cpuMsPerPage / ours.cpuMsPerPage, rss: peer.rssMiB / ours.rssMiB };
}

/**
 * Ratios are taken pair by pair within each round (both crawlers ran against the
 * same site, one after the other) and the median of those is reported, so a
 * slow round moves both sides of a pair rather than one.
 * `rounds[i]` maps a crawler id to its figures in round i (absent when it failed).
 */
export function pairedRatio(rounds: readonly ReadonlyMap<string, CrawlFigures>[], ours: string, peer: string): Ratio | undefined {
  const pairs = rounds.flatMap((r) => {
    const a = r.get(ours);
    const b = r.get(peer);
    return a && b ? [ratio(a, b)] : [];
  });
  if (pairs.length === 0) return undefined;
  return { speed: median(pairs.map((p) => p.speed)), cpu: median(pairs.map((p) => p.cpu)), rss: median(pairs.map((p) => p.rss)) };
}
