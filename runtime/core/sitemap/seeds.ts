// Sitemaps as seeds: when a run is planned, `start.sitemaps` are read through
// the collector's fetch stack (requests of role `support`: no browser, no
// fetch-once cache, no robots.txt check of their own) and their page URLs
// become seed tasks of the kind each sitemap names, next to the start URLs'.
//
// `lastmod`: with `records.incremental`, the newest lastmod a run saw is kept
// in the state store (key `<name>.sitemap`, beside the records' cursor), and
// the next run takes only pages whose lastmod is later; `since` is a fixed
// lower bound. A page without a lastmod is always taken. The mark is raised
// when the run is planned, run-aware (core/engine/incremental.ts): a start
// that is retried, or a local run planned again, compares against the same
// baseline. So a page whose lastmod did not change is not fetched again even
// when the run that planned it failed: its page comes back when it changes.
import type { ResolvedCollector, ResolvedSitemapSeed } from '../../language/generated/resolved.types.ts';
import { START_KIND } from '../../language/page-kinds.ts';
import { render } from '../../language/template.ts';
import type { CompiledCollector } from '../engine/compile.ts';
import { IncrementalState } from '../engine/incremental.ts';
import { builtinVariables } from '../engine/plan.ts';
import type { StateStore } from '../engine/ports.ts';
import type { Task } from '../engine/task.ts';
import { canonicalUrl } from '../discover/canonical-url.ts';
import { pageTask } from '../discover/page-task.ts';
import { compileRegex } from '../extract/regex.ts';
import type { Fetcher, FetchRequest } from '../fetch/types.ts';
import type { SecretResolver } from '../secrets.ts';
import { lastmodTime } from './parse.ts';
import { readSitemap, SitemapError } from './read.ts';

export interface SitemapPlanOptions {
  runId: string;
  /** `--var k=v` overrides, as planSeeds takes them. */
  overrides?: Record<string, string>;
  /** The collector's fetch stack. */
  fetcher: Fetcher;
  secrets: SecretResolver;
  /** Where the lastmod mark is kept; without one (or without records.incremental) every page is taken. */
  state?: StateStore;
}

/** A sitemap entry of `start.sitemaps` with its options, whichever way it was written. */
export function sitemapSeedsOf(spec: ResolvedCollector): ResolvedSitemapSeed[] {
  return (spec.start.sitemaps ?? []).map((s) => (typeof s === 'string' ? { url: s } : s));
}

/** The state key of a collector's sitemap lastmod mark. */
function sitemapStateKey(name: string): string {
  return `${name}.sitemap`;
}

/** `planned`: the seeds of the start URLs; returns them with the sitemaps' pages after them, each page once. */
export async function planSitemapSeeds(
  compiled: CompiledCollector,
  planned: readonly Task[],
  options: SitemapPlanOptions,
): Promise<Task[]> {
  const spec = compiled.spec;
  const sitemaps = sitemapSeedsOf(spec);
  if (sitemaps.length === 0) return [...planned];
  const overrides = options.overrides ?? {};
  const vars = { ...builtinVariables(spec, options.runId), ...compiled.constants, ...overrides };
  const mark =
    spec.records.incremental && options.state ? new IncrementalState(options.state, sitemapStateKey(spec.name), options.runId) : undefined;
  const baseline = mark ? await mark.baseline() : null;
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(spec.request.headers)) headers[k.toLowerCase()] = await options.secrets.expand(v, vars);

  const tasks = [...planned];
  const ids = new Set(planned.map((t) => t.id));
  const seen = new Set<string>();
  const max = spec.limits.maxSeeds;
  let newest: string | undefined;
  let over = false;
  for (const [i, seed] of sitemaps.entries()) {
    const kind = seed.as ?? START_KIND;
    const view = compiled.kinds.get(kind);
    if (!view) throw new SitemapError(`start.sitemaps[${i}]: no kind "${kind}" under pages`);
    const match = seed.match !== undefined ? compileRegex(seed.match) : undefined;
    const since = seed.since !== undefined ? lastmodTime(seed.since) : undefined;
    const after = later(baseline ?? undefined, since);
    const base = { runId: options.runId, collector: spec.name, vars: { ...overrides }, hop: 0 };
    const root = render(seed.url, vars);
    await readSitemap(root, seen, {
      fetch: async (url) => {
        const request: FetchRequest = { url, method: 'GET', headers, role: 'support' };
        const response = await options.fetcher.fetch(request, compiled.policy);
        // A status the collector accepts as an empty page is an empty sitemap.
        return response.acceptedEmpty ? '<urlset></urlset>' : response.text;
      },
      onPage: (page) => {
        // The protocol keeps a sitemap's pages on its own host; a page elsewhere is not this site's to list.
        if (new URL(page.loc).hostname !== new URL(page.sitemap).hostname) return true;
        if (match && !match.test(page.loc)) return true;
        const modified = lastmodTime(page.lastmod);
        if (modified !== undefined) newest = later(newest, modified);
        if (modified !== undefined && after !== undefined && modified <= after) return true;
        const task = pageTask(base, view, canonicalUrl(options.secrets.scrubUrl(page.loc)), 0);
        if (ids.has(task.id)) return true;
        ids.add(task.id);
        tasks.push(task);
        if (tasks.length > max) over = true;
        return !over;
      },
    });
    if (over) {
      throw new SitemapError(
        `the start URLs and sitemaps give more than limits.maxSeeds (${max}) seeds; nothing was planned (narrow the sitemaps with match, or raise limits.maxSeeds)`,
      );
    }
  }
  if (mark && newest !== undefined) await mark.raise(newest);
  return tasks;
}

function later(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return a > b ? a : b;
}
