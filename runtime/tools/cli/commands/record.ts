// `collect record`: run a collector against the real site (or a local copy) and
// keep every HTTP exchange as a HAR file beside it, then write the records its
// replay produces as the expected records.
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { formatTestResult, testCollector } from '../../review/collector-test.ts';
import { checkVars, optionalInt, parseVars } from '../args.ts';
import { createProgress } from '../progress.ts';
import { writeHar } from '../../review/har.ts';
import { displayPath, recordingPaths } from '../../review/paths.ts';
import { recordRun } from '../../review/session.ts';
import { loadCollectorFile } from '../../../language/load.ts';
import { UsageError, type CliIO, type Command } from '../command.ts';
import { formatBytes } from '../format.ts';
import { stat } from 'node:fs/promises';

const usage = `Usage: collect record FILE [options]

Runs the collector and saves every HTTP exchange as a HAR 1.2 file beside it
(collectors/NAME.har; open it in a browser's developer tools), with
Authorization, Cookie, Set-Cookie, Proxy-Authorization, X-Api-Key and every
\${env:...} secret value redacted. Then replays the recording and writes the
records it produces to collectors/NAME.expected.jsonl, which \`collect test\`
compares against. The --var, --limit and --max-pages values are kept in the HAR
(log._collect) so the replay makes exactly the same requests.

Keep recordings small (a few hundred KB): use --max-pages or --limit.

Options:
  --var NAME=VALUE          set a variable (repeatable), e.g. base_url of a local copy of the site
  --limit N                 stop after N records
  --max-pages N             stop each pagination chain after N pages
  --allow-private-network   allow loopback and private addresses (local test sites), never cloud metadata
  --no-expected             write the HAR only; leave the expected records as they are

Exit status: 0 when the recording replays cleanly; 1 when pages failed or the
replay does not pass; 2 for a usage error.

Example:
  collect record collectors/books-toscrape.yaml --max-pages 2
  collect record collectors/books-toscrape.yaml --var base_url=http://127.0.0.1:8080 --allow-private-network --max-pages 2`;

export const recordCommand: Command = {
  name: 'record',
  summary: 'run a collector and save its HTTP exchanges (HAR) and records for offline tests',
  usage,
  async run(argv: string[], io: CliIO): Promise<number> {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        var: { type: 'string', multiple: true },
        limit: { type: 'string' },
        'max-pages': { type: 'string' },
        'allow-private-network': { type: 'boolean', default: false },
        'no-expected': { type: 'boolean', default: false },
      },
    });
    if (positionals.length !== 1) throw new UsageError('give exactly one collector file');
    const vars = parseVars(values.var ?? []);
    const limit = optionalInt(values.limit, '--limit');
    const maxPages = optionalInt(values['max-pages'], '--max-pages');
    const loaded = await loadCollectorFile(positionals[0]!, io.cwd);
    checkVars(vars, loaded.collector);
    const abs = resolve(io.cwd, loaded.file);
    const paths = recordingPaths(abs);

    const progress = createProgress(io.stderr, { label: `recording ${loaded.collector.name}`, tty: Boolean(io.stderr.isTTY) });
    const { har, run } = await recordRun({
      loaded,
      vars,
      ...(limit !== undefined ? { limit } : {}),
      ...(maxPages !== undefined ? { maxPages } : {}),
      allowPrivateNetwork: values['allow-private-network'],
      env: io.env,
      onProgress: (p) => progress.update(p),
    }).finally(() => progress.stop());
    await writeHar(paths.har, har);
    const size = (await stat(paths.har)).size;
    const harFile = displayPath(paths.har, io.cwd);
    io.stdout.write(
      `recorded ${har.log.entries.length} requests (${formatBytes(size)}) to ${harFile}; the run wrote ${run.manifest.records} records\n`,
    );
    for (const f of run.failures.slice(0, 10)) io.stdout.write(`failed: ${f.url}: ${f.message}\n`);
    if (size > 1024 * 1024) io.stdout.write(`warning: ${harFile} is larger than 1 MiB; record fewer pages with --max-pages or --limit\n`);
    if (values['no-expected']) return run.failures.length > 0 ? 1 : 0;

    const result = await testCollector({ loaded, cwd: io.cwd, env: io.env, update: true });
    io.stdout.write(formatTestResult(result));
    return run.failures.length === 0 && result.status === 'updated' ? 0 : 1;
  },
};
