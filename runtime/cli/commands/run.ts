import { parseArgs } from 'node:util';
import { resolve, relative } from 'node:path';
import { FolderSink } from '../../sinks/folder.ts';
import { StdoutSink } from '../../sinks/stdout.ts';
import { runLocal, type Progress } from '../../local/run.ts';
import { loadCollectorFile } from '../../spec/load.ts';
import { optionalInt, parseVars } from '../args.ts';
import { UsageError, type CliIO, type Command } from '../command.ts';
import { formatBytes, formatDuration, table } from '../format.ts';

const usage = `Usage: collect run FILE [options]

Runs one collector on this machine and writes its records under --out, in the
same layout as on S3: <out>/<bucket>/<prefix>/dt=YYYY-MM-DD/run=<runId>/part-<taskId>.jsonl.gz
plus _manifest.json (and _errors.jsonl when pages failed).

Options:
  --out DIR                 output folder (default ./out)
  --limit N                 stop after N records
  --max-pages N             stop each pagination chain after N pages
  --var NAME=VALUE          set a variable (repeatable); replaces the declared values
  --stdout                  write records to stdout as JSON Lines; everything else goes to stderr
  --allow-private-network   allow loopback and private addresses (local test sites)
  --resume                  continue this collector's last unfinished run under --out
  --quiet                   no progress line and no summary

Exit status: 0 when the run succeeded; 1 when pages failed for good or the
collector's expect block was not met; 2 for a usage error.

Example:
  collect run collectors/books-toscrape.yaml --limit 100 --var base_url=http://127.0.0.1:8080`;

export const runCommand: Command = {
  name: 'run',
  summary: 'run a collector locally and write its records to a folder (or stdout)',
  usage,
  async run(argv: string[], io: CliIO): Promise<number> {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        out: { type: 'string', default: 'out' },
        limit: { type: 'string' },
        'max-pages': { type: 'string' },
        var: { type: 'string', multiple: true },
        stdout: { type: 'boolean', default: false },
        'allow-private-network': { type: 'boolean', default: false },
        resume: { type: 'boolean', default: false },
        quiet: { type: 'boolean', default: false },
      },
    });
    if (positionals.length !== 1) throw new UsageError('give exactly one collector file');
    const file = resolve(io.cwd, positionals[0]!);
    const vars = parseVars(values.var ?? []);
    const limit = optionalInt(values.limit, '--limit');
    const maxPages = optionalInt(values['max-pages'], '--max-pages');
    const outDir = resolve(io.cwd, values.out!);
    const loaded = await loadCollectorFile(file);

    const log = values.stdout ? io.stderr : io.stdout;
    const tty = Boolean(io.stderr.isTTY) && !values.quiet;
    let lastDraw = 0;
    const draw = (p: Progress, force = false) => {
      const now = Date.now();
      if (!tty || (!force && now - lastDraw < 100)) return;
      lastDraw = now;
      const rate = p.elapsedMs > 0 ? (p.pages * 1000) / p.elapsedMs : 0;
      io.stderr.write(`\r\x1b[2K${loaded.collector.name}: ${p.pages} pages, ${p.records} records, ${p.failures} errors, ${rate.toFixed(0)} pages/s, ${p.tasksQueued} tasks queued`);
    };

    const folder = new FolderSink(outDir);
    const result = await runLocal({
      collector: loaded.collector,
      specHash: loaded.hash,
      outDir,
      vars,
      ...(limit !== undefined ? { limit } : {}),
      ...(maxPages !== undefined ? { maxPages } : {}),
      allowPrivateNetwork: values['allow-private-network'],
      resume: values.resume,
      sink: values.stdout ? new StdoutSink(io.stdout, folder) : folder,
      env: io.env,
      onProgress: (p) => draw(p),
    });
    if (tty) io.stderr.write('\r\x1b[2K');

    const m = result.manifest;
    if (!values.quiet) {
      const rate = m.durationMs > 0 ? (m.pages * 1000) / m.durationMs : 0;
      const rows: [string, string][] = [
        ['collector', m.collector],
        ['run', m.runId],
        ['status', m.status],
        ['pages', `${m.pages} (${rate.toFixed(1)} pages/s)`],
        ['records', String(m.records)],
        ['failures', String(m.failures)],
        ['retries', String(m.retries)],
        ['downloaded', formatBytes(m.bytes)],
        ['duration', formatDuration(m.durationMs)],
        ['output', relative(io.cwd, result.runDir) || '.'],
      ];
      log.write(`\n${table(rows)}`);
      for (const w of m.warnings.slice(0, 10)) log.write(`warning: ${w}\n`);
      for (const f of result.failures.slice(0, 10)) log.write(`failed: ${f.url}: ${f.message}\n`);
      if (result.failures.length > 10) log.write(`... ${result.failures.length - 10} more failures in _errors.jsonl\n`);
      for (const p of m.expectations.problems) log.write(`expectation not met: ${p}\n`);
    }
    return m.status === 'succeeded' ? 0 : 1;
  },
};
