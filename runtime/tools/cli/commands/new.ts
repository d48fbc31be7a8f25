// `collect new`: write a starting collector file, ready to validate and try.
import { parseArgs } from 'node:util';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, relative, resolve, sep } from 'node:path';
import { collectorTemplate } from '../../review/new-collector.ts';
import { displayPath } from '../../review/paths.ts';
import { UsageError, type CliIO, type Command } from '../command.ts';
import { projectPath } from '../project.ts';

const usage = `Usage: collect new NAME [--url URL] [--parse html|json] [--dir DIR]

Writes DIR/NAME.yaml (default collectors/NAME.yaml): a starting collector with
the schema line for editor completion, comments, and sensible defaults. It is
valid as written; edit the selectors, then check them one page at a time with
collect try. Nothing is fetched. An existing file is never overwritten.

Options:
  --url URL          a page of the source: its origin becomes the base_url
                     variable and its path the start URL
  --parse html|json  an HTML (CSS selectors) or JSON API (JMESPath) start; default html
  --dir DIR          folder of the collectors; default collectors

Example:
  collect new books --url https://books.toscrape.com/catalogue/page-1.html
  collect new issues --url https://api.github.com/repos/OWNER/REPO/issues --parse json`;

export const newCommand: Command = {
  name: 'new',
  summary: 'write a starting collector file with comments and the schema line',
  usage,
  async run(argv: string[], io: CliIO): Promise<number> {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        url: { type: 'string' },
        parse: { type: 'string', default: 'html' },
        dir: { type: 'string' },
      },
    });
    if (positionals.length !== 1) throw new UsageError('give exactly one collector name');
    const parse = values.parse;
    if (parse !== 'html' && parse !== 'json') throw new UsageError(`--parse takes html or json, not "${parse}"`);
    const name = positionals[0]!;
    const file = resolve(values.dir ? resolve(io.cwd, values.dir) : projectPath(io.cwd, 'collectors'), `${name}.yaml`);
    const schemaPath = relative(dirname(file), projectPath(io.cwd, 'schemas/collector.schema.json')).split(sep).join('/');
    let text: string;
    try {
      text = collectorTemplate({ name, ...(values.url ? { url: values.url } : {}), parse, schemaPath });
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    await mkdir(dirname(file), { recursive: true });
    const shown = displayPath(file, io.cwd);
    try {
      await writeFile(file, text, { flag: 'wx' });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
        io.stderr.write(`collect new: ${shown} already exists; pick another name or edit that file\n`);
        return 1;
      }
      throw err;
    }
    io.stdout.write(`wrote ${shown}\nnext: edit the selectors, then\n  npx collect validate ${shown}\n  npx collect try ${shown}\n`);
    return 0;
  },
};
