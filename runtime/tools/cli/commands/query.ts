// `collect query "SELECT ..."`: SQL over the records of local runs, with DuckDB,
// through the same tables and columns as the project's Glue Data Catalog on AWS.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { hiveType } from '../../../../deploy/generate/record-columns.ts';
import { optionalInt } from '../args.ts';
import { UsageError, type CliIO, type Command } from '../command.ts';
import { projectPath } from '../project.ts';
import { QuerySession, type QueryResult } from '../../query/duckdb.ts';
import { RUNS_TABLE } from '../../query/local-tables.ts';
import { projectTables } from '../../query/project-tables.ts';
import { cellText, textTable } from '../../query/text-table.ts';
import { PATH_COLUMN } from '../../query/views.ts';

const FORMATS = ['table', 'json', 'csv'] as const;
type Format = (typeof FORMATS)[number];

const usage = `Usage: collect query "SQL" [options]
       collect query --tables

Runs SQL (DuckDB) over the records of the local runs under out/, through the
tables Athena has on AWS, with the same names and columns:
  <collector>      one per collector, its name with underscores (books_toscrape):
                   a column per declared field (nested fields: structs, lists:
                   lists), dt (the run's UTC date), and "$path" (the part's key as
                   on S3: regexp_extract("$path", 'run=([^/]+)/', 1) is the run id)
  ${RUNS_TABLE}     one row per finished run, from its _manifest.json: collector,
                   runid, status, startedat, finishedat, durationms, tasks, pages,
                   records, failures, retries, bytes, spechash, dt
So a query tried here runs unchanged in Athena (docs/aws.md, "Query your data").

Options:
  --tables             list the tables, their columns and how many runs each has
  --format FORMAT      table (default: cut to the terminal's width), json (one
                       object per row, one a line) or csv
  --max-rows N         rows printed in table format (default 100; json and csv print all)
  --out DIR            the output folder of the local runs (default out/ at the project's root)
  --collectors PATH    collector files or folders (repeatable; default collectors/)
  --width N            width of the table (default: the terminal's, else 120)

Example:
  collect query "SELECT title, price FROM books_toscrape ORDER BY price DESC LIMIT 5"
  collect query "SELECT collector, runid, status, records FROM ${RUNS_TABLE}" --format csv`;

export const queryCommand: Command = {
  name: 'query',
  summary: 'run SQL (DuckDB) over the records of local runs, with the tables and columns Athena has',
  usage,
  async run(argv: string[], io: CliIO): Promise<number> {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        tables: { type: 'boolean', default: false },
        format: { type: 'string', default: 'table' },
        'max-rows': { type: 'string' },
        out: { type: 'string' },
        collectors: { type: 'string', multiple: true },
        width: { type: 'string' },
      },
    });
    const format = values.format as Format;
    if (!FORMATS.includes(format)) throw new UsageError(`unknown format "${values.format}"; use ${FORMATS.join(', ')}`);
    if (!values.tables && positionals.length !== 1) throw new UsageError('give one SQL statement, in quotes (or --tables)');
    const maxRows = optionalInt(values['max-rows'], '--max-rows') ?? 100;
    const width = optionalInt(values.width, '--width', 20) ?? terminalWidth(io);
    const out = values.out ? resolve(io.cwd, values.out) : projectPath(io.cwd, 'out');
    const project = await projectTables(values.collectors ?? [projectPath(io.cwd, 'collectors')], io.cwd, out);
    if (project.errors) io.stderr.write(`warning: collectors with errors have no table:\n${project.errors}\n`);

    const session = await QuerySession.open(project.tables);
    try {
      if (values.tables) {
        const runs = await session.query(`SELECT collector, count(*) AS runs FROM ${RUNS_TABLE} GROUP BY collector`);
        const count = new Map(runs.rows.map((r) => [r[0] as string, r[1] as number]));
        for (const t of project.tables) {
          const columns = [...t.columns.map((c) => `${c.name} ${hiveType(c.type)}`), 'dt string', `"${PATH_COLUMN}" string`];
          io.stdout.write(
            `${t.name} (${t.collector}, ${plural(count.get(t.collector) ?? 0, 'finished run')} under ${t.root})\n  ${columns.join(', ')}\n`,
          );
        }
        io.stdout.write(`${RUNS_TABLE} (one row per finished run)\n`);
        for (const s of project.skipped) io.stdout.write(`(no table for ${s.collector}: ${s.why})\n`);
        return 0;
      }
      const result = await session.query(positionals[0]!);
      io.stdout.write(render(result, format, maxRows, width));
      if (format === 'table' && result.rows.length > maxRows)
        io.stderr.write(`(${result.rows.length - maxRows} more rows; --max-rows N or --format csv)\n`);
      return 0;
    } finally {
      session.close();
    }
  },
};

function render(result: QueryResult, format: Format, maxRows: number, width: number): string {
  if (format === 'json')
    return result.rows.map((row) => `${JSON.stringify(Object.fromEntries(result.columns.map((c, i) => [c, row[i]])))}\n`).join('');
  if (format === 'csv')
    return [result.columns, ...result.rows.map((r) => r.map(cellText))].map((r) => `${r.map(csvCell).join(',')}\n`).join('');
  return textTable(result.columns, result.rows.slice(0, maxRows), width);
}

function csvCell(value: unknown): string {
  const text = cellText(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function terminalWidth(io: CliIO): number {
  const columns = (io.stdout as { columns?: number }).columns;
  return columns && columns > 20 ? columns : Number(io.env.COLUMNS) > 20 ? Number(io.env.COLUMNS) : 120;
}

function plural(n: number, what: string): string {
  return `${n} ${what}${n === 1 ? '' : 's'}`;
}
