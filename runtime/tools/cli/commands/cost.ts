// `collect cost`: what a collector costs a month on AWS, and when an EC2
// instance would be cheaper.
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { optionalInt, optionalNumber, outputFormat } from '../args.ts';
import { estimateCost, type CostEstimate } from '../../review/cost.ts';
import { costJson, formatCostMarkdown, formatCostText } from '../../review/cost-format.ts';
import { gatherCostInputs } from '../../review/cost-inputs.ts';
import { loadPrices } from '../../review/prices.ts';
import { functionSettings } from '../../review/project-settings.ts';
import { loadCollectorFile } from '../../../language/load.ts';
import { UsageError, type CliIO, type Command } from '../command.ts';
import { projectRoot } from '../project.ts';

const usage = `Usage: collect cost FILE... [options]

Estimates the monthly AWS bill of a collector: Lambda GB-seconds and requests,
SQS requests, S3 PUTs and storage, CloudWatch Logs ingestion and Scheduler
invocations; then the break-even against an EC2 instance doing the same work,
and how pages in flight per invocation and the batch size change the bill.

Every input says where it came from:
  runs per month     the schedule (cron or rate), or --runs
  pages, tasks       --pages/--tasks, else the --manifest of a run, else the
                     recording (complete, or extrapolated with expect.minRecords
                     or stop.maxPages)
  latency per page   --latency-ms, else the recording's request times (when it
                     was recorded against the real site), else 200 ms
  CPU, log bytes     --cpu-ms-per-page/--log-bytes-per-page, else measured by
                     replaying the recording (offline), else 5 ms / 0 B
  memory             collect.config.yaml (memoryMb), else 512 MB; a collector with
                     a browser block: the browser function's 2,048 MB (x86_64), its
                     pages priced at Chromium's time (--latency-ms, else the
                     --manifest of a run, else 1,500 ms) and CPU (120 ms)
Prices come from deploy/prices.json (with their date and sources).

Options:
  --pages N                 pages per run
  --tasks N                 tasks per run
  --runs N                  runs per month (instead of the schedule)
  --manifest PATH           _manifest.json of a run: pages and tasks per run
  --latency-ms N            time of one request
  --cpu-ms-per-page N       CPU time of one page on a full vCPU
  --log-bytes-per-page N    bytes logged per page
  --output-bytes-per-page N gzipped output per page
  --memory-mb N             function memory
  --concurrency N           pages in flight in one invocation (default request.rateLimit.concurrency)
  --batch-size N            tasks per invocation (default scaling.batchSize)
  --instance TYPE           EC2 instance type to compare with (default in the price list)
  --prices FILE             another price list
  --config FILE             project config (default collect.config.yaml)
  --env NAME                environment of the project config
  --no-measure              do not replay the recording to measure CPU and logs
  --format text|markdown|json

Example:
  collect cost collectors/books-toscrape.yaml
  collect cost collectors/books-toscrape.yaml --pages 1050 --manifest out/.../_manifest.json --format markdown`;

export const costCommand: Command = {
  name: 'cost',
  summary: 'estimate the monthly AWS cost of a collector and its break-even against EC2',
  usage,
  async run(argv: string[], io: CliIO): Promise<number> {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        pages: { type: 'string' },
        tasks: { type: 'string' },
        runs: { type: 'string' },
        manifest: { type: 'string' },
        'latency-ms': { type: 'string' },
        'cpu-ms-per-page': { type: 'string' },
        'log-bytes-per-page': { type: 'string' },
        'output-bytes-per-page': { type: 'string' },
        'memory-mb': { type: 'string' },
        concurrency: { type: 'string' },
        'batch-size': { type: 'string' },
        instance: { type: 'string' },
        prices: { type: 'string' },
        config: { type: 'string' },
        env: { type: 'string' },
        'no-measure': { type: 'boolean', default: false },
        format: { type: 'string', default: 'text' },
      },
    });
    if (positionals.length === 0) throw new UsageError('give at least one collector file');
    const format = outputFormat(values.format, ['text', 'markdown', 'json']);
    const numbers = {
      pages: optionalInt(values.pages, '--pages', 0),
      tasks: optionalInt(values.tasks, '--tasks', 0),
      runs: optionalNumber(values.runs, '--runs'),
      latencyMs: optionalNumber(values['latency-ms'], '--latency-ms'),
      cpuMsPerPage: optionalNumber(values['cpu-ms-per-page'], '--cpu-ms-per-page'),
      logBytesPerPage: optionalNumber(values['log-bytes-per-page'], '--log-bytes-per-page'),
      outputBytesPerPage: optionalNumber(values['output-bytes-per-page'], '--output-bytes-per-page'),
      memoryMb: optionalInt(values['memory-mb'], '--memory-mb', 128),
      concurrency: optionalInt(values.concurrency, '--concurrency'),
      batchSize: optionalInt(values['batch-size'], '--batch-size'),
    };
    const defined = Object.fromEntries(Object.entries(numbers).filter(([, v]) => v !== undefined));
    const prices = await loadPrices(values.prices ? resolve(io.cwd, values.prices) : undefined);
    const settings = await functionSettings(values.config ? io.cwd : projectRoot(io.cwd), values.config, values.env);
    const estimates: CostEstimate[] = [];
    for (const file of positionals) {
      const loaded = await loadCollectorFile(file, io.cwd);
      const inputs = await gatherCostInputs({
        loaded,
        cwd: io.cwd,
        env: io.env,
        settings,
        defaultEc2Instance: prices.ec2.defaultInstance,
        ...defined,
        ...(values.manifest ? { manifestFile: resolve(io.cwd, values.manifest) } : {}),
        ...(values.instance ? { ec2Instance: values.instance } : {}),
        measure: !values['no-measure'],
      });
      estimates.push(estimateCost(inputs, prices));
    }
    if (format === 'json')
      io.stdout.write(estimates.length === 1 ? costJson(estimates[0]!) : `[${estimates.map((e) => costJson(e).trimEnd()).join(',\n')}]\n`);
    else io.stdout.write(estimates.map((e) => (format === 'markdown' ? formatCostMarkdown(e) : formatCostText(e))).join('\n'));
    return 0;
  },
};
