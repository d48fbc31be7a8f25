import { describe, expect, it } from 'vitest';
import { figures, median, medianFigures, pairedRatio, ratio, type CrawlFigures } from '../../bench/stats.ts';

const f = (pagesPerSec: number, cpuMsPerPage: number, rssMiB: number): CrawlFigures => ({
  pagesPerSec,
  cpuMsPerPage,
  rssMiB,
  cpuS: 0,
  wallS: 0,
});

describe('bench statistics', () => {
  it('takes the median of odd and even counts, ignoring failed (NaN) runs', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([5, Number.NaN, 1])).toBe(3);
    expect(median([])).toBeNaN();
  });

  it('turns a measurement into the figures of a crawl', () => {
    const x = figures({ wallMs: 2000, userS: 1.5, sysS: 0.5, maxRssKiB: 102400 }, 1000);
    expect(x).toEqual({ pagesPerSec: 500, cpuS: 2, cpuMsPerPage: 2, rssMiB: 100, wallS: 2 });
  });

  it('reads every ratio so that above 1 means ours is better', () => {
    const r = ratio(f(1000, 1, 100), f(200, 5, 400));
    expect(r).toEqual({ speed: 5, cpu: 5, rss: 4 });
  });

  it('pairs ratios within a round, then takes their median', () => {
    // A slow second round slows both crawlers: the paired ratio stays 2, while a
    // ratio of medians taken apart would not.
    const rounds = [
      new Map([
        ['ours', f(1000, 1, 100)],
        ['peer', f(500, 2, 200)],
      ]),
      new Map([
        ['ours', f(300, 1, 100)],
        ['peer', f(150, 2, 200)],
      ]),
      new Map([['ours', f(900, 1, 100)]]), // the peer failed this round: no pair
    ];
    expect(pairedRatio(rounds, 'ours', 'peer')).toEqual({ speed: 2, cpu: 2, rss: 2 });
    expect(pairedRatio(rounds, 'ours', 'nobody')).toBeUndefined();
  });

  it('takes the median of each figure over several runs', () => {
    expect(medianFigures([f(1, 1, 1), f(3, 9, 2), f(2, 4, 8)])).toMatchObject({ pagesPerSec: 2, cpuMsPerPage: 4, rssMiB: 2 });
  });
});
