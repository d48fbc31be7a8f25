// One run of a collector through the local driver, either recording every
// exchange of a real fetcher or replaying a recording with no network. Both run
// one task at a time, so the order of records and requests is the same each time.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataRecord } from '../../core/extract/types.ts';
import { HttpFetcher } from '../../core/fetch/http-fetcher.ts';
import type { Fetcher } from '../../core/fetch/types.ts';
import type { SecretResolver } from '../../core/secrets.ts';
import { runLocal, type LocalRunOptions, type LocalRunResult } from '../../drivers/local/run.ts';
import { MemorySink } from '../../adapters/memory-sink.ts';
import type { ResolvedCollector } from '../../language/generated/resolved.types.ts';
import type { LoadedCollector as SpecLoadedCollector } from '../../language/load.ts';
import type { Har, RecordingMeta } from './har.ts';
import { PageCounter } from './page-counter.ts';
import { HarRecorder } from './recorder.ts';
import { Redactor, replayEnv } from './redact.ts';
import { HarReplayer, type RequestNotRecordedError } from './replayer.ts';

/** What a run needs of a loaded collector file (see runtime/language/load.ts). */
export type LoadedCollector = Pick<SpecLoadedCollector, 'file' | 'collector' | 'hash'>;

type Env = Readonly<Record<string, string | undefined>>;

export interface RecordOptions {
  loaded: LoadedCollector;
  vars?: Record<string, string>;
  limit?: number;
  maxPages?: number;
  allowPrivateNetwork?: boolean;
  env: Env;
  /** The real fetcher to record; default a new HttpFetcher (closed afterwards). */
  fetcher?: Fetcher;
  now?: Date;
  onProgress?: LocalRunOptions['onProgress'];
}

export interface RecordResult {
  har: Har;
  run: LocalRunResult;
  records: DataRecord[];
}

const VERSION = '0.1.0';

export async function recordRun(options: RecordOptions): Promise<RecordResult> {
  const { loaded } = options;
  const now = options.now ?? new Date();
  const redactor = await Redactor.forCollector(loaded.collector, options.env);
  const inner = options.fetcher ?? new HttpFetcher();
  const recorder = new HarRecorder(inner, redactor);
  const counter = new PageCounter();
  try {
    const { run, records } = await driver(loaded.collector, {
      fetcher: recorder,
      logger: counter,
      // One resolver for the run and the recording: what a login takes is redacted from the HAR too.
      secrets: redactor.resolver,
      env: options.env,
      now,
      vars: options.vars ?? {},
      limit: options.limit,
      maxPages: options.maxPages,
      allowPrivateNetwork: options.allowPrivateNetwork ?? false,
      specHash: loaded.hash,
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    });
    const vars = options.vars ?? {};
    const meta: RecordingMeta = {
      collector: loaded.collector.name,
      vars,
      ...(options.limit !== undefined ? { limit: options.limit } : {}),
      ...(options.maxPages !== undefined ? { maxPages: options.maxPages } : {}),
      recordedAt: now.toISOString(),
      specHash: loaded.hash,
      summary: {
        pages: run.manifest.pages,
        listingPages: counter.listingPages,
        items: counter.items,
        records: run.manifest.records,
        tasks: run.manifest.tasks,
        complete: options.limit === undefined && options.maxPages === undefined,
      },
    };
    const varText = Object.entries(vars)
      .map(([k, v]) => `${k}=${v}`)
      .join(' ');
    const har: Har = {
      log: {
        version: '1.2',
        creator: { name: 'collect', version: VERSION },
        pages: [],
        entries: recorder.entries(),
        comment: `collect record ${loaded.collector.name}${varText ? ` with ${varText}` : ''}; replay with collect test`,
        _collect: meta,
      },
    };
    return { har, run, records };
  } finally {
    if (!options.fetcher) await inner.close();
  }
}

export interface ReplayOptions {
  loaded: LoadedCollector;
  har: Har;
  /** For messages: how the user names the HAR and the collector file. */
  harFile: string;
  collectorFile: string;
  env: Env;
}

export interface ReplayResult {
  run: LocalRunResult;
  records: DataRecord[];
  misses: RequestNotRecordedError[];
  /** Requests answered from the recording. */
  replayed: number;
  listingPages: number;
  /** CPU time of the whole replay (parse, extract, engine), user + system. */
  cpuMs: number;
  wallMs: number;
  /** What the engine logged at WARN and above, in bytes of JSON lines. */
  logBytes: number;
}

class NotReplayableError extends Error {
  override readonly name = 'NotReplayableError';
}

export async function replayRun(options: ReplayOptions): Promise<ReplayResult> {
  const { loaded, har } = options;
  const meta = har.log._collect;
  if (!meta)
    throw new NotReplayableError(
      `${options.harFile} was not made by collect record (no log._collect); re-record with collect record ${options.collectorFile}`,
    );
  const env = replayEnv(loaded.collector, options.env);
  const redactor = await Redactor.forCollector(loaded.collector, env);
  const replayer = new HarReplayer(har.log.entries, { harFile: options.harFile, collectorFile: options.collectorFile, redactor });
  const counter = new PageCounter();
  const cpu = process.cpuUsage();
  const started = performance.now();
  const { run, records } = await driver(loaded.collector, {
    fetcher: replayer,
    logger: counter,
    secrets: redactor.resolver,
    env,
    now: new Date(meta.recordedAt),
    vars: meta.vars,
    limit: meta.limit,
    maxPages: meta.maxPages,
    allowPrivateNetwork: true,
    specHash: loaded.hash,
  });
  const used = process.cpuUsage(cpu);
  return {
    run,
    records,
    misses: replayer.misses,
    replayed: replayer.hits,
    listingPages: counter.listingPages,
    cpuMs: (used.user + used.system) / 1000,
    wallMs: performance.now() - started,
    logBytes: counter.warnBytes,
  };
}

interface DriverOptions {
  fetcher: Fetcher;
  logger: PageCounter;
  secrets: SecretResolver;
  env: Env;
  now: Date;
  vars: Record<string, string>;
  limit: number | undefined;
  maxPages: number | undefined;
  allowPrivateNetwork: boolean;
  specHash: string;
  onProgress?: LocalRunOptions['onProgress'];
}

async function driver(collector: ResolvedCollector, o: DriverOptions): Promise<{ run: LocalRunResult; records: DataRecord[] }> {
  // The local driver keeps a run index, a checkpoint and incremental state under its
  // output folder; a fresh one each time keeps a replay from seeing an earlier run.
  const outDir = await mkdtemp(join(tmpdir(), 'collect-review-'));
  const sink = new MemorySink();
  try {
    const run = await runLocal({
      collector,
      specHash: o.specHash,
      outDir,
      vars: o.vars,
      ...(o.limit !== undefined ? { limit: o.limit } : {}),
      ...(o.maxPages !== undefined ? { maxPages: o.maxPages } : {}),
      allowPrivateNetwork: o.allowPrivateNetwork,
      taskConcurrency: 1,
      fetcher: o.fetcher,
      sink,
      logger: o.logger,
      secrets: o.secrets,
      env: o.env,
      now: o.now,
      ...(o.onProgress ? { onProgress: o.onProgress } : {}),
    });
    return { run, records: orderedRecords(sink) };
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
}

/** Records in commit order: with one task at a time that is the order of the run. */
function orderedRecords(sink: MemorySink): DataRecord[] {
  return sink.records();
}
