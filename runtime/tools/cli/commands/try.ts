// `collect try`: fetch (or replay) one page and show what every field extracts.
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { HttpFetcher } from '../../../core/fetch/http-fetcher.ts';
import type { Fetcher } from '../../../core/fetch/types.ts';
import { checkVars, optionalInt, parseVars } from '../args.ts';
import { readHar } from '../../review/har.ts';
import { displayPath } from '../../review/paths.ts';
import { Redactor, replayEnv } from '../../review/redact.ts';
import { HarReplayer } from '../../review/replayer.ts';
import { formatTry, tryPage } from '../../review/try-page.ts';
import { formatComparison, tryBothWays } from '../../review/try-browser.ts';
import { loadCollectorFile } from '../../../language/load.ts';
import { UsageError, type CliIO, type Command } from '../command.ts';

const usage = `Usage: collect try FILE [options]

Fetches one page (the first seed, or --url) and shows, request by request, what
came back (status, bytes, time), what each field extracted (empty ones marked
∅ empty, dropped items with the reason), the detail link each record follows
(the first one fetched and extracted too), and where pagination would go next.
When extract.items matches nothing, it says so and lists what repeats on the
page (elements, or arrays of objects) that could be the items.
Edit a selector, run it again: the quick loop of scrapy shell.

Options:
  --url URL                 try this page instead of the first seed
  --var NAME=VALUE          set a variable (repeatable)
  --har FILE                replay from a recording instead of the network
                            (its variables are used unless --var overrides them)
  --allow-private-network   allow loopback and private addresses (local test sites), never cloud metadata
  --browser                 load the page over HTTP and in a browser (headless Chromium) and show
                            both side by side: items that only the browser finds are rendered by
                            script and need a browser block (the collector's own, or the defaults)
  --items N                 records shown; default 5
  --details N               detail pages fetched; default 1 (0: none)
  --format text|json

Example:
  collect try collectors/books-toscrape.yaml
  collect try collectors/books-toscrape.yaml --har collectors/books-toscrape.har
  collect try collectors/books-toscrape.yaml --url https://books.toscrape.com/catalogue/page-2.html
  collect try collectors/books-toscrape.yaml --browser`;

export const tryCommand: Command = {
  name: 'try',
  summary: 'fetch one page and show what each field extracts and where pagination goes next',
  usage,
  async run(argv: string[], io: CliIO): Promise<number> {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        url: { type: 'string' },
        var: { type: 'string', multiple: true },
        har: { type: 'string' },
        'allow-private-network': { type: 'boolean', default: false },
        browser: { type: 'boolean', default: false },
        items: { type: 'string' },
        details: { type: 'string' },
        format: { type: 'string', default: 'text' },
      },
    });
    if (positionals.length !== 1) throw new UsageError('give exactly one collector file');
    if (values.browser && values.har) throw new UsageError('--browser loads the live page; leave out --har');
    if (values.format !== 'text' && values.format !== 'json') throw new UsageError(`unknown format "${values.format}"; use text or json`);
    const items = optionalInt(values.items, '--items');
    const details = optionalInt(values.details, '--details', 0);
    const { collector, file } = await loadCollectorFile(positionals[0]!, io.cwd);
    let vars = parseVars(values.var ?? []);
    checkVars(vars, collector);
    let env = io.env;
    let fetcher: Fetcher;
    if (values.har) {
      const harPath = resolve(io.cwd, values.har);
      const har = await readHar(harPath);
      vars = { ...(har.log._collect?.vars ?? {}), ...vars };
      env = replayEnv(collector, io.env);
      fetcher = new HarReplayer(har.log.entries, {
        harFile: displayPath(harPath, io.cwd),
        collectorFile: file,
        redactor: await Redactor.forCollector(collector, env),
      });
    } else {
      fetcher = new HttpFetcher();
    }
    try {
      if (values.browser) {
        const compared = await tryBothWays({
          collector,
          fetcher,
          env,
          vars,
          ...(values.url ? { url: values.url } : {}),
          allowPrivateNetwork: values['allow-private-network'],
          ...(details !== undefined ? { details } : {}),
        });
        io.stdout.write(
          values.format === 'json'
            ? `${JSON.stringify(compared, null, 2)}\n`
            : formatComparison(compared, items !== undefined ? { items } : {}),
        );
        return compared.browser.request.error && compared.http.request.error ? 1 : 0;
      }
      const result = await tryPage({
        collector,
        fetcher,
        env,
        vars,
        ...(values.url ? { url: values.url } : {}),
        allowPrivateNetwork: values['allow-private-network'] || Boolean(values.har),
        ...(details !== undefined ? { details } : {}),
      });
      io.stdout.write(
        values.format === 'json' ? `${JSON.stringify(result, null, 2)}\n` : formatTry(result, items !== undefined ? { items } : {}),
      );
      return result.request.error ? 1 : 0;
    } finally {
      await fetcher.close();
    }
  },
};
