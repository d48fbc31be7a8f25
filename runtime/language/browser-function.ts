// The second function of a deployment: the one that runs the collectors with a
// `browser` block. Same code, same environment, same role as the HTTP function,
// plus Chromium (@sparticuz/chromium, unpacked from its layer) and the memory a
// browser needs. The HTTP collectors stay on the small function; a browser
// collector's task queue feeds this one. The Terraform generator, `explain`
// and `cost` read these facts here.
import type { ResolvedCollector } from './generated/resolved.types.ts';

export const BROWSER_FUNCTION = {
  /** After the project's name prefix and a dash: `<prefix>-browser`. */
  nameSuffix: 'browser',
  /** Chromium with a few tabs wants well over the HTTP function's 512 MB; at 1,769 MB Lambda gives a full vCPU. */
  memoryMb: 2048,
  /** @sparticuz/chromium's npm package carries the x86_64 build only. */
  architecture: 'x86_64',
  /** Where the browser layer puts the packed Chromium (COLLECT_CHROMIUM_PACK). */
  chromiumPack: '/opt/chromium',
} as const;

/** The browser function's name for a project whose function is `functionName`. */
export function browserFunctionName(functionName: string): string {
  return `${functionName}-${BROWSER_FUNCTION.nameSuffix}`;
}

/** Whether a collector's pages (all, or those of a kind) are rendered in a browser, so its tasks run on the browser function. */
export function usesBrowser(collector: Pick<ResolvedCollector, 'browser' | 'pages'>): boolean {
  return collector.browser !== undefined || Object.values(collector.pages ?? {}).some((kind) => kind.browser !== undefined);
}
