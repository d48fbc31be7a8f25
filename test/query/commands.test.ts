// `collect query` and `collect show` over a local out folder, the views they
// build, and DuckDB staying where it belongs: loaded by `collect query` only,
// never by another command, never in the Lambda bundle.
import { runCommand } from '../helpers/command.ts';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectorYaml as thousandYaml } from '../../bench/thousand/project.ts';
import { forbiddenInputs } from '../../deploy/build/bundle.ts';
import { queryCommand } from '../../runtime/tools/cli/commands/query.ts';
import { showCommand } from '../../runtime/tools/cli/commands/show.ts';
import { QuerySession } from '../../runtime/tools/query/duckdb.ts';
import { localTables } from '../../runtime/tools/query/local-tables.ts';
import { textTable } from '../../runtime/tools/query/text-table.ts';
import { tableViewSql } from '../../runtime/tools/query/views.ts';
import { loadCollectorText } from '../../runtime/language/load.ts';
import { writeLocalRun } from './local-runs.ts';

const REPO = new URL('../../', import.meta.url).pathname;

const run = runCommand;

let project: string;
const NESTED = 4; // source-0004 of the generated project: nested fields and lists of structs (json-nested)

beforeAll(async () => {
  project = await mkdtemp(join(tmpdir(), 'collect-query-'));
  await mkdir(join(project, 'collectors'));
  await writeFile(join(project, 'collectors', 'source-0004.yaml'), thousandYaml(NESTED));
  await writeFile(
    join(project, 'collectors', 'shop.yaml'),
    [
      'name: shop',
      'start: { urls: ["https://shop.example/list"] }',
      'parse: html',
      'extract:',
      '  items: li',
      '  fields:',
      '    title: { selector: a, required: true }',
      '    price: { selector: .p, type: number }',
      '    description: .d',
      '    dt: .date',
      'output: s3://lake/raw/{{ name }}',
      '',
    ].join('\n'),
  );
  await writeFile(
    join(project, 'collectors', 'dated.yaml'),
    'name: dated\nstart: { urls: ["https://x.example/"] }\nextract: { fields: { a: h1 } }\noutput: s3://lake/raw/{{ date }}\n',
  );
  const out = join(project, 'out');
  await writeLocalRun(out, {
    where: 'lake/raw/shop',
    collector: 'shop',
    runId: '20261101T080000Z-aaaaaa',
    parts: [[{ title: 'old', price: 1 }]],
    status: 'succeeded',
  });
  await writeLocalRun(out, {
    where: 'lake/raw/shop',
    collector: 'shop',
    runId: '20261130T080000Z-bbbbbb',
    parts: [
      [
        { title: 'Kettle', price: 24.5, description: `A kettle ${'that boils water '.repeat(20)}`, dt: 'ignored' },
        { title: 'Teapot', price: null, description: '' },
      ],
      [{ title: 'Mug', price: 4, description: 'blue', extra: 'not declared' }],
    ],
    status: 'succeeded',
  });
  await writeLocalRun(out, {
    where: 'lake/content/source-0004', // (its team's prefix: s3://lake/content/{{ name }})
    collector: 'source-0004',
    runId: '20261130T090000Z',
    parts: [
      [
        { id: 7, title: 'An issue', author: { login: 'ann', id: 3 }, labels: [{ name: 'bug', color: 'red' }], f9_7: { any: ['json'] } },
        { id: 8, title: 'Another', author: null, labels: [] },
      ],
    ],
  });
});
afterAll(async () => {
  await rm(project, { recursive: true, force: true });
});

describe('collect query', () => {
  it('queries the records with the columns of the Glue tables, "$path" as on S3, and collect_runs', async () => {
    const result = await run(
      queryCommand,
      [
        `SELECT title, price, dt, regexp_extract("$path", 'run=([^/]+)/', 1) AS run, "$path" AS path FROM shop ORDER BY title`,
        '--format',
        'json',
      ],
      project,
    );
    expect(result.code).toBe(0);
    const rows = result.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rows.map((r) => [r.title, r.price, r.dt, r.run])).toEqual([
      ['Kettle', 24.5, '2026-11-30', '20261130T080000Z-bbbbbb'],
      ['Mug', 4, '2026-11-30', '20261130T080000Z-bbbbbb'],
      ['Teapot', null, '2026-11-30', '20261130T080000Z-bbbbbb'],
      ['old', 1, '2026-11-01', '20261101T080000Z-aaaaaa'],
    ]);
    expect(rows[0]!.path).toBe('s3://lake/raw/shop/dt=2026-11-30/run=20261130T080000Z-bbbbbb/part-0000000000000000.jsonl.gz');

    const runs = await run(
      queryCommand,
      ['SELECT collector, runid, status, records FROM collect_runs ORDER BY runid', '--format', 'csv'],
      project,
    );
    expect(runs.stdout).toBe(
      'collector,runid,status,records\nshop,20261101T080000Z-aaaaaa,succeeded,1\nshop,20261130T080000Z-bbbbbb,succeeded,3\n',
    );
  });

  it('types nested fields as structs and lists, and leaves a field named dt out (dt is the run date)', async () => {
    const nested = await run(
      queryCommand,
      ['SELECT id, author.login AS login, labels[1].name AS label, f9_7 FROM source_0004 ORDER BY id', '--format', 'json'],
      project,
    );
    expect(
      nested.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l)),
    ).toEqual([
      // A field without a type holds the JSON text of whatever the record has.
      { id: 7, login: 'ann', label: 'bug', f9_7: '{"any":["json"]}' },
      { id: 8, login: null, label: null, f9_7: null },
    ]);
    const tables = await run(queryCommand, ['--tables'], project);
    expect(tables.stdout).toContain('shop (shop, 2 finished runs under');
    expect(tables.stdout).toContain('title string, price double, description string, dt string, "$path" string');
    expect(tables.stdout).toContain(
      'author struct<login:string,id:bigint>, labels array<struct<name:string,color:string>>, f9_7 string, dt string',
    );
    expect(tables.stdout).toContain('source_0004 (source-0004, 0 finished runs under');
    expect(tables.stdout).toMatch(/\(no table for dated: its output prefix "s3:\/\/lake\/raw\/\{\{ date \}\}" holds a template/);
  });

  it('prints a table cut to the width, says how many rows it left out, and reports SQL errors', async () => {
    const table = await run(
      queryCommand,
      ['SELECT title, description FROM shop ORDER BY title', '--width', '40', '--max-rows', '2'],
      project,
    );

    const lines = table.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^title\s+description$/);
    expect(lines).toHaveLength(4);
    for (const line of lines) expect([...line].length).toBeLessThanOrEqual(40);
    expect(lines[2]).toBe('Kettle  A kettle that boils water that …');
    expect(table.stderr).toBe('(2 more rows; --max-rows N or --format csv)\n');
    await expect(run(queryCommand, ['SELECT nope FROM shop'], project)).rejects.toThrow(/nope/);
    await expect(run(queryCommand, [], project)).rejects.toThrow(/give one SQL statement/);
  });

  it('gives a collector without runs an empty table with the same columns', async () => {
    const { tables } = localTables([loadCollectorText(thousandYaml(NESTED), 'source-0004.yaml').collector!], join(project, 'empty'));
    const session = await QuerySession.open(tables);
    try {
      const result = await session.query('SELECT * FROM source_0004');
      expect(result.rows).toEqual([]);
      expect(result.columns).toEqual(['id', 'title', 'author', 'labels', 'f9_7', 'dt', '$path']);
      expect(result.types.slice(2, 4)).toEqual(['STRUCT("login" VARCHAR, "id" BIGINT)', 'STRUCT("name" VARCHAR, "color" VARCHAR)[]']);
      expect((await session.query('SELECT count(*) FROM collect_runs')).rows).toEqual([[0]]);
    } finally {
      session.close();
    }
    expect(tableViewSql(tables[0]!, [])).toMatch(/WHERE false$/);
  });
});

describe('collect show', () => {
  it('prints the latest run as a table with the fill rate of each field', async () => {
    const result = await run(showCommand, ['shop', '--width', '60'], project);
    expect(result.code).toBe(0);
    const [head, where] = result.stdout.split('\n');
    expect(head).toBe('shop: run 20261130T080000Z-bbbbbb (dt=2026-11-30, succeeded, 2 pages), 3 records in 2 parts');
    expect(where).toBe('out/lake/raw/shop/dt=2026-11-30/run=20261130T080000Z-bbbbbb');
    expect(result.stdout).toMatch(/^title\s+price\s+description\s+dt\s+extra$/m);
    // A field named dt is no column (dt is the run's date), but show prints the records as they are.
    expect(result.stdout).toMatch(/^Kettle {3}24\.5 {2}A kettle that boils w… {2}ignored$/m);
    // The heading says where the run is; the tables below it fit the width.
    for (const line of result.stdout.split('\n').slice(3)) expect([...line].length).toBeLessThanOrEqual(60);
    const filled = result.stdout.slice(result.stdout.indexOf('\nFilled\n'));
    expect(filled).toMatch(/^title\s+3\s+100%$/m);
    expect(filled).toMatch(/^price\s+2\s+66\.7%$/m);
    expect(filled).toMatch(/^description\s+2\s+66\.7%$/m);
    expect(filled).toMatch(/^extra\s+1\s+33\.3%$/m);
  });

  it('shows the first N rows of a chosen run, and says when there is nothing to show', async () => {
    const old = await run(showCommand, ['shop', '--run', '20261101T080000Z-aaaaaa', '--rows', '1'], project);
    expect(old.stdout).toContain('shop: run 20261101T080000Z-aaaaaa (dt=2026-11-01, succeeded, 1 pages), 1 record in 1 part');
    const unfinished = await run(showCommand, ['collectors/source-0004.yaml', '--rows', '1'], project);
    expect(unfinished.stdout).toContain('(dt=2026-11-30, not finished: no _manifest.json yet), 2 records');
    expect(unfinished.stdout).toContain('… 1 more (--rows N)');
    const none = await run(showCommand, ['shop', '--out', join(project, 'nowhere')], project);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(
      /^shop has no runs under .*nowhere\/lake\/raw\/shop yet; start one with: npx collect run collectors\/shop\.yaml\n$/,
    );
    await expect(run(showCommand, ['dated'], project)).rejects.toThrow(/dated has no table to show: its output prefix/);
  });
});

describe('the terminal table', () => {
  it('cuts the widest columns first and right-aligns numbers', () => {
    const text = textTable(
      ['name', 'n', 'note'],
      [
        ['a', 1, 'x'.repeat(50)],
        ['bb', 22, null],
      ],
      30,
    );
    expect(text.split('\n')).toEqual([
      'name  n   note',
      '────  ──  ────────────────────',
      'a      1  xxxxxxxxxxxxxxxxxxx…',
      'bb    22',
      '',
    ]);
  });
});

describe('DuckDB', () => {
  it('is imported by collect query alone, and only when it runs', async () => {
    const users: string[] = [];
    for (const dir of ['runtime', 'deploy']) {
      for (const file of await sourceFiles(join(REPO, dir))) {
        const text = await readFile(file, 'utf8');
        if (!text.includes('@duckdb/')) continue;
        users.push(relative(REPO, file));
        // Types, and one dynamic import: nothing loads it at import time.
        for (const m of text.matchAll(/^.*@duckdb\/.*$/gm))
          expect(m[0]).toMatch(
            /^import type .* from '@duckdb\/node-api';$|await import\('@duckdb\/node-api'\)|'@duckdb\/node-(api|bindings)'/,
          );
      }
    }
    expect(users.sort()).toEqual(['deploy/build/bundle.ts', 'runtime/tools/query/duckdb.ts']);
    const importers: string[] = [];
    for (const file of await sourceFiles(join(REPO, 'runtime')))
      if ((await readFile(file, 'utf8')).includes('query/duckdb.ts')) importers.push(relative(REPO, file));
    expect(importers).toEqual(['runtime/tools/cli/commands/query.ts']);
  });

  it('is refused in the Lambda bundle', () => {
    const fake = {
      inputs: { 'node_modules/@duckdb/node-api/lib/index.js': {}, 'node_modules/@duckdb/node-bindings/duckdb.js': {} },
      outputs: {},
    };
    expect(forbiddenInputs(fake as never)).toEqual(['@duckdb/node-api', '@duckdb/node-bindings']);
  });
});

async function sourceFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, e.name);
    if (e.isDirectory() && e.name !== 'node_modules' && e.name !== 'terraform') out.push(...(await sourceFiles(path)));
    else if (/\.(ts|mts|mjs)$/.test(e.name)) out.push(path);
  }
  return out;
}
