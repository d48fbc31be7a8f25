import { describe, expect, it } from 'vitest';
import { crawlTable, ratiosOf, summarise, targets } from '../../bench/report.ts';
import type { ScenarioResult } from '../../bench/scenario.ts';
import type { CrawlFigures } from '../../bench/stats.ts';

const f = (pagesPerSec: number, cpuMsPerPage: number, rssMiB: number): CrawlFigures => ({
  pagesPerSec,
  cpuMsPerPage,
  rssMiB,
  cpuS: 1,
  wallS: 1,
});

const scenario: ScenarioResult = {
  site: 'books',
  pages: 1050,
  count: 1000,
  skipped: { scrapy: 'not installed' },
  outcomes: [
    { round: 1, crawler: 'ours', figures: f(1000, 1.5, 100) },
    { round: 1, crawler: 'minimal', figures: f(1000, 1.4, 150) },
    { round: 1, crawler: 'crawlee-memory', figures: f(200, 8, 400) },
    { round: 2, crawler: 'ours', figures: f(800, 1.7, 110) },
    { round: 2, crawler: 'minimal', figures: f(1000, 1.4, 150) },
    { round: 2, crawler: 'crawlee-memory', failure: 'output check: expected 1000 records, got 3' },
  ],
};

describe('the bench report', () => {
  it('summarises each crawler by the medians of its good runs and keeps its failures', () => {
    const byId = new Map(summarise(scenario).map((s) => [s.crawler, s]));
    expect(byId.get('ours')).toMatchObject({ runs: 2, ok: 2, median: { pagesPerSec: 900, cpuMsPerPage: 1.6, rssMiB: 105 } });
    expect(byId.get('crawlee-memory')).toMatchObject({ runs: 2, ok: 1, failures: ['output check: expected 1000 records, got 3'] });
  });

  it('computes ratios only from rounds where both ran', () => {
    const r = new Map(ratiosOf(scenario).map((x) => [x.peer, x.ratio]));
    expect(r.get('crawlee-memory')).toEqual({ speed: 5, cpu: 8 / 1.5, rss: 4 });
    expect(r.get('minimal')!.speed).toBeCloseTo(0.9);
  });

  it('marks each target met, missed or not measured', () => {
    const rows = new Map(targets(scenario, undefined).map((t) => [t.target, t]));
    expect(rows.get('at least 900 pages/s (whole process)')).toMatchObject({ met: true, value: '900 pages/s' });
    expect(rows.get('5x Crawlee, persistStorage: false')).toMatchObject({ met: true });
    expect(rows.get('5x Crawlee, default storage')).toMatchObject({ met: undefined });
    expect(rows.get('5x Scrapy')).toMatchObject({ met: undefined, value: 'n/a' });
    expect(rows.get('at most 1.6 ms CPU a page')).toMatchObject({ met: true });
    expect(rows.get('within 10% of the minimal crawler (speed)')!.met).toBe(true);
    expect(rows.get('bundle zip at most 1 MB')).toMatchObject({ met: undefined });
  });

  it('shows skipped crawlers in the table', () => {
    const text = crawlTable(scenario, 2);
    expect(text).toContain('1,050 pages (50 listings + 1,000 details), median of 2 runs');
    expect(text).toMatch(/Scrapy.*skipped: not installed/);
    expect(text).toMatch(/collect CLI \(ours\) \| 900 \|/);
  });
});
