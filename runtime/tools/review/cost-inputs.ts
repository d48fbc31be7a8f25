// Gathers the inputs of the cost model: flags first, then measurements (the
// manifest of a run, the recording's timings, a replay of the recording for CPU
// and log volume), then stated defaults.
import { planSeeds } from '../../core/engine/plan.ts';
import { manualRunId } from '../../core/engine/run-id.ts';
import type { CostInputs, Measured } from './cost.ts';
import type { FunctionSettings } from './project-settings.ts';
import { browserCostInputs, RENDER_LATENCY } from './cost-browser.ts';
import { readRecordingInfo } from './recording-info.ts';
import { replayRun, type LoadedCollector } from './session.ts';
import { scheduleFrequency } from '../../language/schedule.ts';
import { estimateVolume, readManifest } from './volume.ts';
import { tableOf } from '../../../deploy/generate/collector-plan.ts';

export interface CostOptions {
  loaded: LoadedCollector;
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  settings: FunctionSettings;
  defaultEc2Instance: string;
  pages?: number;
  tasks?: number;
  runs?: number;
  manifestFile?: string;
  latencyMs?: number;
  cpuMsPerPage?: number;
  logBytesPerPage?: number;
  outputBytesPerPage?: number;
  memoryMb?: number;
  concurrency?: number;
  batchSize?: number;
  ec2Instance?: string;
  /** Replay the recording to measure CPU and log bytes. Default true. */
  measure?: boolean;
}

const COST_DEFAULTS = { latencyMs: 200, cpuMsPerPage: 5, logBytesPerPage: 0, outputBytesPerPage: 300 } as const;

export async function gatherCostInputs(o: CostOptions): Promise<CostInputs> {
  const { collector } = o.loaded;
  const flag = (value: number | undefined, name: string): Measured | undefined =>
    value !== undefined ? { value, source: `--${name}` } : undefined;
  const recording = await readRecordingInfo(o.loaded.file, o.cwd);
  const manifest = o.manifestFile ? { file: o.manifestFile, sample: await readManifest(o.manifestFile) } : undefined;
  const seeds = planSeeds(collector, { runId: manualRunId() }).length;
  const summary = recording?.har.log._collect?.summary;
  const volume = estimateVolume({
    collector,
    seeds,
    ...(manifest ? { manifest } : {}),
    ...(recording && summary ? { recording: { file: recording.harFile, summary } } : {}),
  });

  let cpu: Measured | undefined = flag(o.cpuMsPerPage, 'cpu-ms-per-page');
  let logs: Measured | undefined = flag(o.logBytesPerPage, 'log-bytes-per-page');
  if ((!cpu || !logs) && recording?.har.log._collect && (o.measure ?? true)) {
    const replay = () =>
      replayRun({ loaded: o.loaded, har: recording.har, harFile: recording.harFile, collectorFile: o.loaded.file, env: o.env });
    await replay(); // warms up the parser and the JIT, which a long run amortises
    const r = await replay();
    const pages = r.run.manifest.pages;
    if (pages > 0) {
      cpu ??= { value: r.cpuMs / pages, source: `measured: replay of ${recording.harFile} (${pages} pages, ${r.cpuMs.toFixed(0)} ms CPU)` };
      logs ??= { value: r.logBytes / pages, source: `measured: engine WARN/ERROR lines in the replay of ${recording.harFile}` };
    }
  }

  const runs: Measured =
    o.runs !== undefined
      ? { value: o.runs, source: '--runs' }
      : collector.schedule
        ? {
            value: scheduleFrequency(collector.schedule.expression).runsPerMonth,
            source: `schedule ${collector.schedule.expression} (${scheduleFrequency(collector.schedule.expression).description})`,
          }
        : { value: 0, source: 'no schedule: runs only on demand (pass --runs)' };

  const latency = flag(o.latencyMs, 'latency-ms') ??
    (recording?.meanLatencyMs !== undefined
      ? { value: recording.meanLatencyMs, source: `measured: mean request time in ${recording.harFile}` }
      : undefined) ?? {
      value: COST_DEFAULTS.latencyMs,
      source: `default${recording ? ` (${recording.harFile} was recorded against a local server)` : ''}`,
    };

  const output =
    flag(o.outputBytesPerPage, 'output-bytes-per-page') ??
    (recording?.expectedGzipBytes !== undefined && summary && summary.pages > 0
      ? { value: recording.expectedGzipBytes / summary.pages, source: 'measured: gzipped expected records per recorded page' }
      : { value: COST_DEFAULTS.outputBytesPerPage, source: 'default' });

  const rate = collector.request.rateLimit;
  // A browser collector runs on the browser function; its pages cost Chromium's time and CPU.
  const browser = browserCostInputs(collector, manifest);
  return {
    collector: collector.name,
    runsPerMonth: runs,
    pagesPerRun: flag(o.pages, 'pages') ?? volume.pages,
    tasksPerRun: flag(o.tasks, 'tasks') ?? volume.tasks,
    latencyMsPerPage: browser && o.latencyMs === undefined ? (browser.latencyMsPerPage ?? RENDER_LATENCY) : latency,
    cpuMsPerPage: (browser && o.cpuMsPerPage === undefined ? browser.cpuMsPerPage : cpu) ?? {
      value: COST_DEFAULTS.cpuMsPerPage,
      source: 'default (no recording to measure)',
    },
    logBytesPerPage: logs ?? { value: COST_DEFAULTS.logBytesPerPage, source: 'default (no recording to measure)' },
    outputBytesPerPage: output,
    memoryMb: flag(o.memoryMb, 'memory-mb') ?? browser?.memoryMb ?? { value: o.settings.memoryMb, source: o.settings.source },
    architecture: browser?.architecture ?? o.settings.architecture,
    concurrency: flag(o.concurrency, 'concurrency') ?? { value: rate.concurrency, source: 'request.rateLimit.concurrency' },
    ...(rate.perSecond !== undefined ? { perSecond: rate.perSecond } : {}),
    batchSize: flag(o.batchSize, 'batch-size') ?? { value: collector.scaling.batchSize, source: 'scaling.batchSize' },
    ec2Instance: o.ec2Instance ?? o.defaultEc2Instance,
    ...(o.settings.region ? { region: o.settings.region } : {}),
    scheduled: collector.schedule?.enabled ?? false,
    hasTable: !('none' in tableOf(collector)),
  };
}
