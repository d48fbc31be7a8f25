// `collect show NAME`: the latest local run of a collector, as a table in the
// terminal, with the share of records that fill each field.
import { isAbsolute, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadCollectorFile } from '../../../language/load.ts';
import { optionalInt } from '../args.ts';
import { UsageError, type CliIO, type Command } from '../command.ts';
import { projectPath } from '../project.ts';
import { latestRun } from '../../query/latest-run.ts';
import { localTables } from '../../query/local-tables.ts';
import { textTable } from '../../query/text-table.ts';
import { terminalWidth } from './query.ts';

const usage = `Usage: collect show NAME|FILE [options]

Prints the records of a collector's latest local run (under out/) as a table:
the first rows, each column cut to fit the terminal, then how many records fill
each field (not missing, null, empty text or an empty list). No zcat, no jq.

Options:
  --rows N        records to print (default 20)
  --run RUNID     a run other than the latest
  --out DIR       the output folder of the local runs (default out/ at the project's root)
  --width N       width of the table (default: the terminal's, else 120)

Example:
  collect show books-toscrape
  collect show collectors/books-toscrape.yaml --rows 5 --width 100`;

export const showCommand: Command = {
  name: 'show',
  summary: "print a collector's latest local run as a table, with the fill rate of each field",
  usage,
  async run(argv: string[], io: CliIO): Promise<number> {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        rows: { type: 'string' },
        run: { type: 'string' },
        out: { type: 'string' },
        width: { type: 'string' },
      },
    });
    if (positionals.length !== 1) throw new UsageError('give one collector: its name or its file');
    const rows = optionalInt(values.rows, '--rows', 0) ?? 20;
    const width = optionalInt(values.width, '--width', 20) ?? terminalWidth(io);
    const out = values.out ? resolve(io.cwd, values.out) : projectPath(io.cwd, 'out');
    const name = positionals[0]!;
    const file = /\.ya?ml$/.test(name) || name.includes('/') ? name : projectPath(io.cwd, `collectors/${name}.yaml`);
    const { collector } = await loadCollectorFile(file, io.cwd);
    const { tables, skipped } = localTables([collector], out);
    if (tables.length === 0) throw new Error(`${collector.name} has no table to show: ${skipped[0]!.why}`);
    const table = tables[0]!;
    const shown = await latestRun(table, values.run);
    const where = shownPath(io.cwd, table.root);
    if (!shown) {
      io.stderr.write(
        values.run
          ? `${collector.name} has no run ${values.run} under ${where}\n`
          : `${collector.name} has no runs under ${where} yet; start one with: npx collect run ${shownPath(io.cwd, file)}\n`,
      );
      return 1;
    }
    const { run, manifest, records, fields, fillRates } = shown;
    const status = manifest ? `${manifest.status}, ${manifest.pages} pages` : 'not finished: no _manifest.json yet';
    io.stdout.write(
      `${collector.name}: run ${run.runId} (dt=${run.dt}, ${status}), ${records.length} record${records.length === 1 ? '' : 's'} in ${run.parts.length} part${run.parts.length === 1 ? '' : 's'}\n${shownPath(io.cwd, run.dir)}\n\n`,
    );
    if (records.length > 0 && rows > 0) {
      io.stdout.write(
        textTable(
          fields,
          records.slice(0, rows).map((r) => fields.map((f) => r[f])),
          width,
        ),
      );
      if (records.length > rows) io.stdout.write(`… ${records.length - rows} more (--rows N)\n`);
    }
    io.stdout.write(
      `\nFilled\n${textTable(
        ['field', 'records', 'rate'],
        fields.map((f) => [f, Math.round((fillRates[f] ?? 0) * records.length), `${formatRate(fillRates[f] ?? 0)}`]),
        width,
      )}`,
    );
    return 0;
  },
};

function formatRate(rate: number): string {
  const pct = rate * 100;
  return `${pct === 100 || pct === 0 ? pct.toFixed(0) : pct.toFixed(1)}%`;
}

function shownPath(cwd: string, path: string): string {
  const rel = relative(cwd, path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}
