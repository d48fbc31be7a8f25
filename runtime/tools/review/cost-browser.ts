// The cost inputs of a collector whose pages are rendered in a browser: its
// tasks run on the browser function (its memory and architecture, not the
// HTTP function's), a page takes as long as Chromium needs to load and settle
// it, and Chromium's CPU, not the parser's, is what a page costs in CPU.
// Measured when a run's manifest is given (its wall time per page); otherwise
// stated defaults, from the rendered scenario of `npm run bench`.
import { BROWSER_FUNCTION, usesBrowser } from '../../language/browser-function.ts';
import type { ResolvedCollector } from '../../language/generated/resolved.types.ts';
import type { CostInputs, Measured } from './cost.ts';
import type { ManifestSample } from './volume.ts';

/** A rendered page on one full vCPU: Chromium's layout, script and DOM serialisation (bench, rendered scenario). */
const RENDER_CPU_MS = 120;
/** From the request to a settled DOM, for a page whose script makes one more request. */
const RENDER_MS = 1_500;

type BrowserInputs = Pick<CostInputs, 'memoryMb' | 'architecture'> & { latencyMsPerPage?: Measured; cpuMsPerPage: Measured };

/** What a browser collector changes in the inputs; undefined for an HTTP collector. Flags are applied by the caller first. */
export function browserCostInputs(
  collector: ResolvedCollector,
  manifest: { file: string; sample: ManifestSample } | undefined,
): BrowserInputs | undefined {
  if (!usesBrowser(collector)) return undefined;
  const concurrency = collector.request.rateLimit.concurrency;
  const m = manifest?.sample;
  const measured =
    m && m.pages > 0 && m.durationMs > 0
      ? {
          value: (m.durationMs / m.pages) * concurrency,
          source: `measured: ${manifest!.file} (${Math.round(m.durationMs / m.pages)} ms a rendered page with ${concurrency} in flight)`,
        }
      : undefined;
  return {
    memoryMb: { value: BROWSER_FUNCTION.memoryMb, source: 'the browser function (runtime/language/browser-function.ts)' },
    architecture: BROWSER_FUNCTION.architecture,
    ...(measured ? { latencyMsPerPage: measured } : {}),
    cpuMsPerPage: { value: RENDER_CPU_MS, source: "default for a rendered page: Chromium's CPU (npm run bench, rendered scenario)" },
  };
}

/** The render time to use when neither a flag nor a manifest says: a rendered page is slower than a fetch. */
export const RENDER_LATENCY: Measured = {
  value: RENDER_MS,
  source: 'default for a rendered page (pass --latency-ms or --manifest of a run)',
};
