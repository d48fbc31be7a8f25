// `collect explain`: what a collector will do, in words and numbers, for a
// reviewer who reads the YAML once. Pure: the command gathers the inputs.
import type {
  ResolvedCollector as Collector,
  ResolvedFollow as Follow,
  ResolvedPagination as Pagination,
} from '../../language/generated/resolved.types.ts';
import { strategyOf } from '../../core/paginate/registry.ts';
import { ALWAYS_STOPS, describeStops } from '../../core/paginate/stop.ts';
import { describeMarkParam } from '../../core/engine/incremental-param.ts';
import { MAX_HOP } from '../../core/engine/task.ts';
import type { Measured } from './cost.ts';
import { fmt } from './cost.ts';
import type { RecordingSummary } from './har.ts';
import { awsNames } from '../../language/deployment-names.ts';
import type { FunctionSettings } from './project-settings.ts';
import { scheduleFrequency } from '../../language/schedule.ts';
import { formatS3Uri, parseS3Uri } from '../../language/s3-uri.ts';
import { describeLayout } from '../../core/output/layout.ts';
import { render } from '../../language/template.ts';
import type { RunVolume } from './volume.ts';
import { describePageLoading } from './explain-browser.ts';
import { VISIBILITY_TIMEOUT_FACTOR } from '../../language/deployment-defaults.ts';
import { constantVariables } from '../../language/variables.ts';
import { describeDiscovery } from './explain-discover.ts';
import { describeExtraction } from './explain-extract.ts';
import { describeAccess } from './explain-access.ts';
import { describeSession } from '../../core/session/describe.ts';

/** Lambda stops a Lambda -> SQS -> Lambda chain at its 16th invocation. */
const LAMBDA_RECURSION_LIMIT = MAX_HOP + 1;

export interface ExplainInput {
  collector: Collector;
  /** Rendered seed URLs of a run. */
  seeds: string[];
  settings: FunctionSettings;
  volume: RunVolume;
  recording?: { file: string; summary: RecordingSummary; limit?: number; maxPages?: number };
}

export interface Explanation {
  collector: string;
  description?: string;
  seeds: { count: number; first: string[] };
  pagination: { strategy: string; how: string; stops: string[] };
  follow: string[];
  /** How pages are read when it is not plain HTML or JSON with one element per item (explain-extract.ts); absent otherwise. */
  extraction?: string[];
  /** The kinds of page of a discovery crawl, its rules and depth, and the sitemaps; empty when it has none. */
  discovery: string[];
  pages: { perRun: Measured; recording?: string };
  /** Which function loads the pages, and how (over HTTP, or rendered in a browser). */
  loading: string[];
  chain: {
    maxPages?: number;
    pagesPerTask: number;
    /** Tasks one after another in the longest chain (each a Lambda invocation from SQS). */
    tasksInChain?: number;
    /** Invocations in the longest chain, the one that starts the run included. */
    invocations?: number;
    limit: number;
    ok: boolean;
    text: string;
  };
  rate: { perSecondPerInvocation?: number; maxConcurrency: number; maxPerSecond?: number; inFlight: number; text: string };
  queue: {
    batchSize: number;
    batchingWindowSeconds: number;
    maxConcurrency: number;
    visibilityTimeoutSeconds: number;
    timeoutSeconds: number;
    memoryMb: number;
    maxReceiveCount: number;
    source: string;
  };
  schedule?: {
    expression: string;
    timezone: string;
    description: string;
    runsPerMonth: number;
    flexibleWindowMinutes: number;
    enabled: boolean;
  };
  s3: { part: string; manifest: string; errors: string; note?: string };
  /** The run's ceilings (`limits`), and what a run does beyond each: one line each, in that order. */
  limits: {
    maxPages: number;
    maxItemsPerPage: number;
    maxSeeds: number;
    /** Seed URLs this collector plans (the rendered start URLs). */
    seeds: number;
    lines: string[];
  };
  expect: string[];
  /** What a failed (or stalled) run sets off on AWS, and what the operator does then. */
  failure: string[];
  /** The project's peak concurrency and this collector's part in it (explain-concurrency.ts); absent when not worked out. */
  concurrency?: string[];
  /** How requests authenticate, whether they go through a proxy, whether robots.txt is obeyed: one line each. */
  access: string[];
  /** Cookies, the login steps (URLs and the names of what they send and take, never a value) and the expiry rule. */
  session: string[];
}

export function explainCollector(input: ExplainInput): Explanation {
  const c = input.collector;
  const s = input.settings;
  const scaling = {
    batchSize: c.scaling.batchSize,
    batchingWindowSeconds: c.scaling.batchingWindowSeconds,
    maxConcurrency: c.scaling.maxConcurrency,
  };
  const pagesPerTask = c.scaling.pagesPerTask;
  const rate = c.request.rateLimit;
  const perHost = rate.concurrency;
  const out: Explanation = {
    collector: c.name,
    ...(c.description ? { description: c.description } : {}),
    seeds: { count: input.seeds.length, first: input.seeds.slice(0, 3) },
    pagination: describePagination(c.paginate, c.records.incremental),
    follow: describeFollow(c.follow),
    ...withExtraction(describeExtraction(c)),
    discovery: describeDiscovery(c),
    pages: { perRun: input.volume.pages, ...(input.recording ? { recording: describeRecording(input.recording) } : {}) },
    loading: describePageLoading(c, s),
    chain: describeChain(c, pagesPerTask),
    rate: {
      ...(rate.perSecond !== undefined
        ? { perSecondPerInvocation: rate.perSecond, maxPerSecond: rate.perSecond * scaling.maxConcurrency }
        : {}),
      maxConcurrency: scaling.maxConcurrency,
      inFlight: perHost * scaling.maxConcurrency,
      text: describeRate(rate.perSecond, scaling.maxConcurrency, perHost),
    },
    queue: {
      ...scaling,
      visibilityTimeoutSeconds: s.timeoutSeconds * VISIBILITY_TIMEOUT_FACTOR,
      timeoutSeconds: s.timeoutSeconds,
      memoryMb: s.memoryMb,
      maxReceiveCount: s.maxReceiveCount,
      source: s.source,
    },
    s3: s3Keys(c, s.bucket),
    limits: describeLimits(c.limits, input.seeds.length, input.volume.pages),
    expect: describeExpect(c.expect),
    failure: describeFailure(c.name, s),
    access: describeAccess(c.request),
    session: describeSession(c.session, { name: c.name, ...constantVariables(c.variables) }),
  };
  if (c.schedule) {
    const f = scheduleFrequency(c.schedule.expression);
    out.schedule = {
      expression: c.schedule.expression,
      timezone: c.schedule.timezone,
      description: f.description,
      runsPerMonth: f.runsPerMonth,
      flexibleWindowMinutes: c.schedule.flexibleWindowMinutes,
      enabled: c.schedule.enabled,
    };
  }
  return out;
}

function s3Keys(c: Collector, projectBucket: string | undefined): Explanation['s3'] {
  const constants = constantVariables(c.variables);
  let output = c.output;
  try {
    output = render(c.output, { ...constants, name: c.name, runId: '<runId>', date: 'YYYY-MM-DD' });
  } catch {
    // A variable with several values: the key is shown with its template.
  }
  const { bucket, prefix } = parseS3Uri(output);
  // On AWS every collector writes to the project bucket, under its own prefix.
  const keys = describeLayout(formatS3Uri({ bucket: projectBucket ?? bucket, prefix }));
  return {
    ...keys,
    ...(projectBucket && projectBucket !== bucket
      ? {
          note: `on AWS the records go to the project bucket ${projectBucket} (output names ${bucket}; locally: <out>/${bucket}/${prefix})`,
        }
      : {}),
  };
}

function describePagination(p: Pagination | undefined, incremental: Collector['records']['incremental']): Explanation['pagination'] {
  // Where the incremental mark goes (records.incremental.param) reads with the rest of the request.
  const mark = describeMarkParam(incremental);
  if (!p) return { strategy: 'none', how: `no pagination: each seed is one page${mark ? `; ${mark}` : ''}`, stops: [] };
  const described = strategyOf(p).describe(p);
  const { stops } = described;
  const how = mark ? `${described.how}; ${mark}` : described.how;
  const all = [...stops, ...describeStops(p.stop)];
  if (incremental?.stopWhenSeen) all.push('a page holds a record already collected by an earlier run (records.incremental)');
  all.push(ALWAYS_STOPS);
  return { strategy: p.type, how, stops: all };
}

function describeRate(perSecond: number | undefined, invocations: number, perHost: number): string {
  const inFlight = perHost * invocations;
  if (perSecond === undefined) {
    return (
      `no rate limit: up to ${invocations} invocations x ${perHost} requests in flight = ${inFlight} at once to one host, ` +
      'as fast as it answers (set request.rateLimit.perSecond to be polite)'
    );
  }
  return (
    `up to ${invocations} invocations (scaling.maxConcurrency) x ${fmt(perSecond)} requests/s each (request.rateLimit.perSecond) ` +
    `= ${fmt(perSecond * invocations)} requests/s to one host, at most ${inFlight} in flight (${invocations} x ${perHost} per invocation)`
  );
}

function describeFollow(follow: Follow | undefined): string[] {
  const out: string[] = [];
  let depth = 1;
  const max = follow?.maxDepth ?? 0;
  for (let f = follow; f; f = f.follow, depth++) {
    const link = f.field ? `the URL in field \`${f.field}\`` : `the \`${f.attribute}\` of \`${f.selector}\``;
    const hosts = f.allowedHosts ? `hosts ${f.allowedHosts.join(', ')}` : 'the same host as the page it was found on';
    const fields = Object.keys(f.extract.fields);
    const level = `level ${depth}${depth > max ? ` (beyond follow.maxDepth ${max}: not fetched)` : ''}`;
    const merges = `${fields.length} field${fields.length === 1 ? '' : 's'}: ${fields.join(', ')}`;
    out.push(`${level}: for each record, fetches ${link} (${hosts}) and merges ${merges}; one page per record, inside the same task`);
  }
  return out;
}

function describeRecording(r: NonNullable<ExplainInput['recording']>): string {
  const s = r.summary;
  const limits = [r.maxPages !== undefined ? `--max-pages ${r.maxPages}` : '', r.limit !== undefined ? `--limit ${r.limit}` : ''];
  const cut = s.complete ? 'a complete run' : `cut short by ${limits.filter(Boolean).join(' and ')}`;
  return `${r.file}: ${s.pages} pages (${s.listingPages} listing, ${s.pages - s.listingPages} detail), ${s.records} records, ${s.tasks} task${s.tasks === 1 ? '' : 's'}; ${cut}`;
}

function describeChain(c: Collector, pagesPerTask: number): Explanation['chain'] {
  const limit = LAMBDA_RECURSION_LIMIT;
  const p = c.paginate;
  if (!p) {
    return {
      pagesPerTask,
      tasksInChain: 1,
      invocations: 2,
      limit,
      ok: true,
      text: `no chain: each seed is one task, 2 invocations deep (the start and the task) of Lambda's ${limit}`,
    };
  }
  if (strategyOf(p).fansOut(p)) {
    return {
      pagesPerTask,
      tasksInChain: 2,
      invocations: 3,
      limit,
      ok: true,
      text: `fan-out: the first page sends every other page as its own task, so the chain is 3 invocations deep (start, first page, the rest) of Lambda's ${limit}, however many pages`,
    };
  }
  const maxPages = p.stop.maxPages;
  if (maxPages === undefined) {
    return {
      pagesPerTask,
      limit,
      ok: true,
      text:
        `no stop.maxPages: the chain is as long as the source has pages. ` +
        `It hands on a continuation every ${pagesPerTask} pages (scaling.pagesPerTask); ` +
        `past hop ${MAX_HOP} it goes on inside one invocation, bounded by the function timeout, ` +
        `so more than ${pagesPerTask * MAX_HOP} pages a chain may be cut short: set stop.maxPages or raise scaling.pagesPerTask`,
    };
  }
  const tasks = Math.ceil(maxPages / pagesPerTask);
  const invocations = tasks + 1;
  const ok = invocations <= limit;
  const verdict = ok
    ? `within Lambda's limit of ${limit}`
    : `past Lambda's limit of ${limit}: the last ${tasks - MAX_HOP} task(s) continue inside one invocation and may hit the function timeout; ` +
      `raise scaling.pagesPerTask to ${Math.ceil(maxPages / MAX_HOP)} or more`;
  return {
    maxPages,
    pagesPerTask,
    tasksInChain: tasks,
    invocations,
    limit,
    ok,
    text:
      `up to ${maxPages} pages (stop.maxPages) at ${pagesPerTask} a task (scaling.pagesPerTask) = ` +
      `${tasks} task${tasks === 1 ? '' : 's'} in a row, ${invocations} invocations deep with the start, ${verdict}`,
  };
}

function describeLimits(limits: Collector['limits'], seeds: number, pages: Measured): Explanation['limits'] {
  const { maxPages, maxItemsPerPage, maxSeeds } = limits;
  const estimate =
    pages.value > maxPages
      ? `a full run is estimated at ${fmt(pages.value)} pages (${pages.source}), MORE than this: it would stop short; raise limits.maxPages to at least ${Math.ceil(pages.value)}`
      : `a full run is estimated at ${fmt(pages.value)} pages (${percent(pages.value, maxPages)} of it)`;
  const seedsText =
    seeds > maxSeeds
      ? `this collector plans ${fmt(seeds)}, MORE than allowed: it does not validate and no run starts`
      : `this collector plans ${fmt(seeds)} (${percent(seeds, maxSeeds)} of it)`;
  return {
    maxPages,
    maxItemsPerPage,
    maxSeeds,
    seeds,
    lines: [
      `maxPages ${fmt(maxPages)} pages a run, listing, detail and continuation pages together; ${estimate}. ` +
        'Beyond it: no further page is fetched, and the run ends failed with "limits.maxPages reached" in its manifest ' +
        '(locally collect run exits 1; on AWS, tasks running at the same moment may take it a few pages past)',
      `maxItemsPerPage ${fmt(maxItemsPerPage)} matches of extract.items on one page. ` +
        'Beyond it: that page fails on its own (TooManyItemsError in _errors/, none of its items kept); the run goes on, and ends failed',
      `maxSeeds ${fmt(maxSeeds)} seed URLs; ${seedsText}. ` +
        'Beyond it: collect validate refuses the collector, and a run stops before it plans any seed (TooManySeedsError)',
    ],
  };
}

function percent(part: number, whole: number): string {
  const p = (part / whole) * 100;
  return `${p > 0 && p < 1 ? '<1' : fmt(Math.round(p))}%`;
}

function describeExpect(e: Collector['expect']): string[] {
  if (!e) return ['no expect block: an empty run would not fail'];
  const out: string[] = [];
  if (e.minRecords !== undefined) out.push(`at least ${e.minRecords} records in a full run`);
  for (const [f, r] of Object.entries(e.fillRate ?? {})) out.push(`field ${f} filled in at least ${Math.round(r * 1000) / 10}% of records`);
  for (const [f, t] of Object.entries(e.types ?? {})) out.push(`field ${f} is ${/^[aeiou]/.test(t) ? 'an' : 'a'} ${t}`);
  return out;
}

function describeFailure(collector: string, s: FunctionSettings): string[] {
  return [
    `a run fails when a page fails for good (an error that is not retried, or its retries ran out), when a task does (${s.maxReceiveCount} failed deliveries, then the dead-letter queue), or when its expectations are not met`,
    `then, once: _manifest.json says "failed" with the problems, the metric RunsFailed goes to 1 and the alarm ${s.functionName}-${awsNames.runsAlarm} fires`,
    s.snsTopicArn
      ? `the SNS topic ${s.snsTopicArn} is told the collector, the run and why`
      : 'no SNS topic is told (set alarm.snsTopicArn in collect.config.yaml for a message naming the collector and why)',
    `a run with no progress for ${s.stalledAfterMinutes} min is marked stalled, with the same alarm`,
    `see why: npx collect status ${collector} latest; after a fix: npx collect retry ${collector} <runId> (only the failed tasks run again)`,
  ];
}

function withExtraction(lines: string[]): { extraction?: string[] } {
  return lines.length ? { extraction: lines } : {};
}
