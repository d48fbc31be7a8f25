// Whether a page's items are likely made by script: its HTML (as a plain
// fetch gets it) has none of the item selector, but loads scripts. `collect
// try` says so when its page matches nothing; `collect validate` says so from
// the committed recording (collectors/NAME.har), without fetching anything.
import { readFile } from 'node:fs/promises';
import { parsePage } from '../../core/extract/parse.ts';
import type { ParsedPage } from '../../core/extract/types.ts';
import type { Diagnostic } from '../../language/diagnostic.ts';
import type { LoadedCollector } from '../../language/load.ts';
import { parseYaml } from '../../language/yaml-source.ts';
import { readHar } from './har.ts';
import { displayPath, recordingPaths } from './paths.ts';

/** An inline script this long is an app, not a snippet (analytics tags are a few hundred bytes). */
const APP_INLINE_BYTES = 2_000;
/**
 * A page with less text than this is a shell: a server-rendered page that merely loads scripts
 * (jQuery, a menu) has its content in its HTML, and its text with it.
 */
const SHELL_TEXT_CHARS = 500;

export interface ScriptSigns {
  /** `<script src>` elements: bundles, frameworks. */
  external: number;
  /** Inline scripts of APP_INLINE_BYTES or more, and embedded state (`__NEXT_DATA__`, JSON in a script). */
  large: number;
  /** Empty elements an app mounts into: `#root`, `#app`, `#__next`, `[data-reactroot]`, `[ng-app]`. */
  mounts: number;
  /** Characters of visible text in the body, scripts and styles left out, spaces collapsed. */
  text: number;
}

const MOUNTS = '#root, #app, #__next, #__nuxt, [data-reactroot], [ng-app], [data-server-rendered]';

/** The script signs of an HTML page; undefined for any other kind. */
export function scriptSigns(page: ParsedPage): ScriptSigns | undefined {
  if (page.kind !== 'html') return undefined;
  const $ = page.doc;
  let external = 0;
  let large = 0;
  $('script').each((_, el) => {
    const type = ($(el).attr('type') ?? '').toLowerCase();
    if ($(el).attr('src')) external += 1;
    else if (type.includes('json') || $(el).text().length >= APP_INLINE_BYTES) large += 1;
  });
  const mounts = $(MOUNTS).filter((_, el) => $(el).children().length === 0).length;
  const body = $('body').clone();
  body.find('script, style, noscript, template').remove();
  const text = body.text().replace(/\s+/g, ' ').trim().length;
  return { external, large, mounts, text };
}

/** True when a page without items looks like an app shell that renders them: an empty mount point, or scripts and little text. */
export function looksScriptRendered(signs: ScriptSigns | undefined): signs is ScriptSigns {
  if (signs === undefined) return false;
  return signs.mounts > 0 || ((signs.external > 0 || signs.large > 0) && signs.text < SHELL_TEXT_CHARS);
}

export function describeSigns(s: ScriptSigns): string {
  const parts = [
    s.external ? `${s.external} script${s.external === 1 ? '' : 's'} (<script src>)` : '',
    s.large ? `${s.large} large inline script${s.large === 1 ? '' : 's'}` : '',
    s.mounts ? 'an empty app mount point (#root, #app, #__next, ...)' : '',
  ].filter(Boolean);
  return `${parts.join(', ')} and holds ${s.text} characters of text`;
}

/**
 * `collect validate`'s check of a collector with a recording and no browser block: when
 * `extract.items` matches nothing on the first recorded HTML page and that page loads
 * scripts, a warning at `extract.items`.
 */
export async function scriptRenderedWarnings(loaded: readonly LoadedCollector[], cwd: string): Promise<Diagnostic[]> {
  const out: Diagnostic[] = [];
  for (const l of loaded) {
    const warning = await warningFor(l, cwd).catch(() => undefined);
    if (warning) out.push(warning);
  }
  return out;
}

async function warningFor(l: LoadedCollector, cwd: string): Promise<Diagnostic | undefined> {
  const { collector } = l;
  const items = collector.extract?.items;
  if (collector.browser || items === undefined || (collector.parse !== 'auto' && collector.parse !== 'html')) return undefined;
  const harFile = recordingPaths(`${cwd}/${l.file}`).har;
  const har = await readHar(harFile).catch(() => undefined);
  const entry = har?.log.entries.find((e) => !e._error && /html/i.test(e.response.content.mimeType) && e.response.content.text);
  if (!entry) return undefined;
  const page = parsePage(entry.response.content.text!, entry.response.content.mimeType, entry.request.url, collector.parse);
  if (page.kind !== 'html' || page.doc(items).length > 0) return undefined;
  const signs = scriptSigns(page);
  if (!looksScriptRendered(signs)) return undefined;
  const { source } = parseYaml(await readFile(`${cwd}/${l.file}`, 'utf8'));
  const at = source.locate(['extract', 'items']);
  return {
    file: l.file,
    ...at,
    path: 'extract.items',
    severity: 'warning',
    message: `${JSON.stringify(items)} matches nothing in the recorded page ${entry.request.url} (${displayPath(harFile, cwd)}), which loads ${describeSigns(signs)}: its items are likely rendered by script`,
    hint: `compare with collect try ${l.file} --browser, then add a browser block (docs/guide.md, "Pages that need a browser")`,
  };
}
