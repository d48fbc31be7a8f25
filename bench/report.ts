// The bench's findings as Markdown tables: readable in a terminal, pasted as is into BENCHMARKS.md.
import type { CeilingResult } from './ceilings.ts';
import { CRAWLERS, type CrawlerId } from './crawlers.ts';
import type { LambdaFigures } from './lambda.ts';
import type { RunOutcome, ScenarioResult } from './scenario.ts';
import { median, medianFigures, pairedRatio, type CrawlFigures, type Ratio } from './stats.ts';

export interface CrawlerSummary {
  crawler: CrawlerId;
  runs: number;
  ok: number;
  median?: CrawlFigures;
  /** Median of the cores other processes kept busy just before each run. */
  busyBefore?: number;
  failures: string[];
}

export function summarise(s: ScenarioResult): CrawlerSummary[] {
  const ids = [...new Set(s.outcomes.map((o) => o.crawler))];
  return ids.map((crawler) => {
    const mine = s.outcomes.filter((o) => o.crawler === crawler);
    const good = mine.flatMap((o) => (o.figures ? [o.figures] : []));
    return {
      crawler,
      runs: mine.length,
      ok: good.length,
      ...(good.length ? { median: medianFigures(good) } : {}),
      ...busy(mine),
      failures: mine.flatMap((o) => (o.failure ? [o.failure] : [])),
    };
  });
}

function busy(outcomes: readonly RunOutcome[]): { busyBefore?: number } {
  const values = outcomes.flatMap((o) => (o.figures && o.busyBefore !== undefined ? [o.busyBefore] : []));
  return values.length ? { busyBefore: median(values) } : {};
}

/** Per round, crawler id to figures; the warm-up (round 0) and failed runs left out. */
function roundsOf(s: ScenarioResult): Map<string, CrawlFigures>[] {
  const rounds = new Map<number, Map<string, CrawlFigures>>();
  for (const o of s.outcomes) {
    if (o.round === 0 || !o.figures) continue;
    if (!rounds.has(o.round)) rounds.set(o.round, new Map());
    rounds.get(o.round)!.set(o.crawler, o.figures);
  }
  return [...rounds.values()];
}

export function ratiosOf(s: ScenarioResult): { peer: CrawlerId; ratio: Ratio }[] {
  const rounds = roundsOf(s);
  const peers = [...new Set(s.outcomes.map((o) => o.crawler))].filter((c) => c !== 'ours');
  return peers.flatMap((peer) => {
    const ratio = pairedRatio(rounds, 'ours', peer);
    return ratio ? [{ peer, ratio }] : [];
  });
}

const fmt = (n: number | undefined, digits = 0) =>
  n === undefined || !Number.isFinite(n)
    ? 'n/a'
    : n.toLocaleString('en-GB', { minimumFractionDigits: digits, maximumFractionDigits: digits });

function table(head: string[], rows: string[][]): string {
  return [
    `| ${head.join(' | ')} |`,
    `| ${head.map((_, i) => (i === 0 ? '---' : '---:')).join(' | ')} |`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
}

export function crawlTable(s: ScenarioResult, rounds: number): string {
  const rows = summarise(s).map((c) => {
    const m = c.median;
    return [
      CRAWLERS[c.crawler].label,
      fmt(m?.pagesPerSec),
      fmt(m?.wallS, 2),
      fmt(m?.cpuS, 2),
      fmt(m?.cpuMsPerPage, 2),
      fmt(m?.rssMiB),
      `${c.ok}/${c.runs}`,
      fmt(c.busyBefore, 2),
    ];
  });
  for (const [id, why] of Object.entries(s.skipped))
    rows.push([CRAWLERS[id as CrawlerId].label, `skipped: ${why}`, '', '', '', '', '0/0', '']);
  const listings = s.pages - s.count;
  return `### ${s.site}: ${fmt(s.pages)} pages (${listings} listings + ${fmt(s.count)} details), median of ${rounds} run${rounds > 1 ? 's' : ''}\n\n${table(
    ['crawler', 'pages/s (wall)', 'wall s', 'CPU s', 'CPU ms/page', 'peak RSS MiB', 'runs ok', 'other load, cores'],
    rows,
  )}`;
}

export function ratioTable(s: ScenarioResult): string {
  const rows = ratiosOf(s).map(({ peer, ratio }) => [
    CRAWLERS[peer].label,
    `${fmt(ratio.speed, 2)}x`,
    `${fmt(ratio.cpu, 2)}x`,
    `${fmt(ratio.rss, 2)}x`,
  ]);
  if (rows.length === 0) return '';
  return `Ours against each peer (${s.site}; each ratio is taken within a round, then the median; above 1 means ours is better):\n\n${table(
    ['peer', 'speed: ours ÷ peer pages/s', 'CPU: peer ÷ ours ms/page', 'memory: peer ÷ ours peak RSS'],
    rows,
  )}`;
}

export function ceilingTable(results: CeilingResult[]): string {
  const rows: string[][] = [];
  for (const r of results) {
    if (r.error) rows.push([`${r.site} ${r.kind}: failed`, r.error, '', '', '']);
    for (const f of r.figures) {
      rows.push([
        `${r.site} ${r.kind}: ${f.name}`,
        fmt(f.pages / f.cpuS),
        fmt((f.cpuS * 1000) / f.pages, 3),
        fmt(f.bytes / 1048576 / f.cpuS, 1),
        fmt(f.pages / f.wallS),
      ]);
    }
  }
  return table(['ceiling', 'pages per CPU-second', 'CPU ms/page', 'MiB per CPU-second', 'pages/s (wall)'], rows);
}

export function lambdaTable(l: LambdaFigures): string {
  const bundle = table(
    ['bundle figure', 'value', 'target'],
    [
      ['zip size (dist/lambda.zip)', l.zipBytes === undefined ? 'n/a' : `${fmt(l.zipBytes / 1024)} KiB`, '≤ 1 MB'],
      [
        'cold init: import of dist/lambda/index.mjs in a fresh process (median of 5)',
        l.coldImportMs === undefined ? 'n/a' : `${fmt(l.coldImportMs)} ms`,
        '≤ 150 ms',
      ],
      [
        'cold process: node start + that import + exit (median of 5)',
        l.coldProcessMs === undefined ? 'n/a' : `${fmt(l.coldProcessMs)} ms`,
        '',
      ],
    ],
  );
  const runs = l.runs.length
    ? table(
        [
          'handler run in one process (target: fits 128 MB, ≤ 200 log bytes a page)',
          'pages',
          'wall s',
          'peak RSS MiB',
          'log bytes/page',
          'S3 PUTs/page',
          'records',
        ],
        l.runs.map((r) => [
          r.label,
          fmt(r.pages),
          fmt(r.wallS, 2),
          fmt(r.peakRssMiB),
          fmt(r.logBytesPerPage, 1),
          fmt(r.putsPerPage, 4),
          r.recordsOk ? 'right' : '**wrong**',
        ]),
      )
    : '';
  return [bundle, runs, ...l.notes.map((n) => `- ${n}`)].filter(Boolean).join('\n\n');
}

export interface TargetRow {
  target: string;
  value: string;
  met: boolean | undefined;
}

/** The targets for our CLI, read off one scenario's summaries and ratios. */
export function targets(s: ScenarioResult, lambda: LambdaFigures | undefined): TargetRow[] {
  const ours = summarise(s).find((c) => c.crawler === 'ours')?.median;
  const ratios = new Map(ratiosOf(s).map((r) => [r.peer, r.ratio]));
  const row = (target: string, v: number | undefined, ok: (v: number) => boolean, show: (v: number) => string): TargetRow => ({
    target,
    value: v === undefined || !Number.isFinite(v) ? 'n/a' : show(v),
    met: v === undefined || !Number.isFinite(v) ? undefined : ok(v),
  });
  return [
    row(
      'at least 900 pages/s (whole process)',
      ours?.pagesPerSec,
      (v) => v >= 900,
      (v) => `${fmt(v)} pages/s`,
    ),
    row(
      '5x Crawlee, default storage',
      ratios.get('crawlee-default')?.speed,
      (v) => v >= 5,
      (v) => `${fmt(v, 2)}x`,
    ),
    row(
      '5x Crawlee, persistStorage: false',
      ratios.get('crawlee-memory')?.speed,
      (v) => v >= 5,
      (v) => `${fmt(v, 2)}x`,
    ),
    row(
      '5x Scrapy',
      ratios.get('scrapy')?.speed,
      (v) => v >= 5,
      (v) => `${fmt(v, 2)}x`,
    ),
    row(
      'within 10% of the minimal crawler (speed)',
      ratios.get('minimal')?.speed,
      (v) => v >= 0.9,
      (v) => `${fmt(v, 2)}x`,
    ),
    row(
      'at most 1.6 ms CPU a page',
      ours?.cpuMsPerPage,
      (v) => v <= 1.6,
      (v) => `${fmt(v, 2)} ms`,
    ),
    row(
      'peak RSS at most 120 MiB',
      ours?.rssMiB,
      (v) => v <= 120,
      (v) => `${fmt(v)} MiB`,
    ),
    row(
      'bundle zip at most 1 MB',
      lambda?.zipBytes,
      (v) => v <= 1_000_000,
      (v) => `${fmt(v / 1024)} KiB`,
    ),
    row(
      'cold init at most 150 ms',
      lambda?.coldImportMs,
      (v) => v <= 150,
      (v) => `${fmt(v)} ms`,
    ),
    row(
      'handler run fits a 128 MB function (peak RSS, 128 MB heap)',
      lambda?.runs.find((r) => r.nodeFlags.length > 0)?.peakRssMiB,
      (v) => v * 1.048576 <= 128,
      (v) => `${fmt(v)} MiB`,
    ),
    row(
      'at most 200 log bytes a page (handler run)',
      lambda?.runs[0]?.logBytesPerPage,
      (v) => v <= 200,
      (v) => fmt(v, 1),
    ),
  ];
}

export function targetTable(rows: TargetRow[]): string {
  return table(
    ['target (our CLI, books crawl)', 'measured', 'met'],
    rows.map((r) => [r.target, r.value, r.met === undefined ? 'n/a' : r.met ? 'yes' : '**no**']),
  );
}
