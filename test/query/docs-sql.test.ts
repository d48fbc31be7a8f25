// The Athena queries of docs/aws.md ("Query your data") and the README, run unchanged with
// DuckDB over a local out folder through the tables of `collect query`: a run
// that failed, a later one that failed, and runs outside the dates asked for
// must not count.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QuerySession } from '../../runtime/tools/query/duckdb.ts';
import { projectTables } from '../../runtime/tools/query/project-tables.ts';
import { writeLocalRun } from './local-runs.ts';

const REPO = new URL('../../', import.meta.url).pathname;
const queries = [...(await readFile(join(REPO, 'docs/aws.md'), 'utf8')).matchAll(/```sql\n([\s\S]*?)```/g)].map((m) => m[1]!);
const jsonl = async (file: string) =>
  (await readFile(join(REPO, file), 'utf8'))
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);

let out: string;
let session: QuerySession;
let books: Record<string, unknown>[];
let issues: Record<string, unknown>[];

beforeAll(async () => {
  out = await mkdtemp(join(tmpdir(), 'collect-docs-sql-'));
  books = await jsonl('collectors/books-toscrape.expected.jsonl');
  // The recorded issues are all open; close every third, so that grouping by state means something.
  issues = (await jsonl('collectors/github-issues.expected.jsonl')).map((r, i) => ({ ...r, state: i % 3 === 0 ? 'closed' : 'open' }));
  const cheap = books.map((b) => ({ ...b, price: 0.01 }));
  const where = { books: 'example-data-lake/raw/books-toscrape', issues: 'example-data-lake/raw/github-issues' };
  // books: one run that succeeded, then a later one (with other prices) that failed, and one still running.
  await writeLocalRun(out, {
    where: where.books,
    collector: 'books-toscrape',
    runId: '20261102T060000Z',
    parts: [books.slice(0, 600), books.slice(600)],
    status: 'succeeded',
  });
  await writeLocalRun(out, {
    where: where.books,
    collector: 'books-toscrape',
    runId: '20261103T060000Z',
    parts: [cheap],
    status: 'failed',
  });
  await writeLocalRun(out, { where: where.books, collector: 'books-toscrape', runId: '20261104T060000Z', parts: [cheap] });
  // issues: two runs that succeeded in November, one that failed, one that succeeded in December.
  await writeLocalRun(out, {
    where: where.issues,
    collector: 'github-issues',
    runId: '20261105T000000Z',
    parts: [issues],
    status: 'succeeded',
  });
  await writeLocalRun(out, {
    where: where.issues,
    collector: 'github-issues',
    runId: '20261106T000000Z',
    parts: [issues],
    status: 'failed',
  });
  await writeLocalRun(out, {
    where: where.issues,
    collector: 'github-issues',
    runId: '20261107T000000Z',
    parts: [issues.slice(0, 4)],
    status: 'succeeded',
  });
  await writeLocalRun(out, {
    where: where.issues,
    collector: 'github-issues',
    runId: '20261201T000000Z',
    parts: [issues],
    status: 'succeeded',
  });
  const { tables } = await projectTables([join(REPO, 'collectors')], REPO, out);
  session = await QuerySession.open(tables);
});
afterAll(async () => {
  session?.close();
  await rm(out, { recursive: true, force: true });
});

describe('the queries of docs/aws.md', () => {
  it("README's query is the first of docs/aws.md, word for word", async () => {
    const readme = [...(await readFile(join(REPO, 'README.md'), 'utf8')).matchAll(/```sql\n([\s\S]*?)```/g)].map((m) => m[1]!);
    expect(readme).toEqual([queries[0]]);
  });

  it('are there: one over the books, one over the issues', () => {
    expect(queries).toHaveLength(2);
    expect(queries[0]).toContain('FROM books_toscrape');
    expect(queries[1]).toContain('FROM github_issues');
  });

  it('the cheapest books of the latest run that succeeded: not those of the later failed or unfinished runs', async () => {
    const result = await session.query(queries[0]!);
    expect(result.columns).toEqual(['title', 'price', 'stock', 'category']);
    const expected = [...books]
      .sort(
        (a, b) =>
          (a.price as number) - (b.price as number) || String(a.title).localeCompare(String(b.title), 'en', { sensitivity: 'variant' }),
      )
      .slice(0, 10);
    expect(result.rows.map((r) => r[1])).toEqual(expected.map((b) => b.price));
    expect(result.rows.every((r) => (r[1] as number) > 0.01)).toBe(true);
    expect(result.rows[0]![0]).toBe(expected[0]!.title);
  });

  it('the issues by state over the runs that succeeded in November only', async () => {
    const result = await session.query(queries[1]!);
    expect(result.columns).toEqual(['state', 'issues', 'runs']);
    const count = (records: Record<string, unknown>[], state: string) => records.filter((r) => r.state === state).length;
    const november = [...issues, ...issues.slice(0, 4)];
    expect(result.rows).toEqual([
      ['open', count(november, 'open'), 2],
      ['closed', count(november, 'closed'), 2],
    ]);
  });

  it('reads collect_runs from the manifests, skipping runs that have not ended', async () => {
    const runs = await session.query('SELECT collector, runid, status, records, dt FROM collect_runs ORDER BY runid');
    expect(runs.rows).toEqual([
      ['books-toscrape', '20261102T060000Z', 'succeeded', books.length, '2026-11-02'],
      ['books-toscrape', '20261103T060000Z', 'failed', books.length, '2026-11-03'],
      ['github-issues', '20261105T000000Z', 'succeeded', issues.length, '2026-11-05'],
      ['github-issues', '20261106T000000Z', 'failed', issues.length, '2026-11-06'],
      ['github-issues', '20261107T000000Z', 'succeeded', 4, '2026-11-07'],
      ['github-issues', '20261201T000000Z', 'succeeded', issues.length, '2026-12-01'],
    ]);
  });
});
