// A sitemap read without an XML parser: the `<url>` (urlset) or `<sitemap>`
// (sitemap index) elements and the `<loc>` and `<lastmod>` inside each, in any
// namespace prefix. Nothing of a DTD is read, so no entity is ever expanded
// (no billion laughs, no external entity): only the five predefined entities
// and numeric character references are decoded, and CDATA sections are read
// as text. One pass over the text, linear in its length. A plain-text sitemap
// (one URL a line, as the protocol allows) is read too.

export interface SitemapEntry {
  loc: string;
  /** As written (W3C datetime); see `lastmodTime`. */
  lastmod?: string;
}

export type ParsedSitemap = { kind: 'urlset'; entries: SitemapEntry[] } | { kind: 'index'; entries: SitemapEntry[] };

class SitemapFormatError extends Error {
  override readonly name = 'SitemapFormatError';
}

const ROOT = /<(?:[A-Za-z_][\w.-]*:)?(urlset|sitemapindex)[\s>/]/;

/** Throws a SitemapFormatError for a body that is neither an XML sitemap nor a list of URLs. */
export function parseSitemap(text: string, url: string): ParsedSitemap {
  const root = ROOT.exec(text);
  if (!root) return plainText(text, url);
  const kind = root[1] === 'sitemapindex' ? 'index' : 'urlset';
  const entries: SitemapEntry[] = [];
  let at = root.index + 1;
  for (;;) {
    const entry = element(text, kind === 'index' ? 'sitemap' : 'url', at);
    if (!entry) break;
    at = entry.end;
    const loc = element(entry.body, 'loc', 0);
    const value = loc ? xmlText(loc.body) : '';
    if (value === '') continue;
    const lastmod = element(entry.body, 'lastmod', 0);
    entries.push(lastmod ? { loc: value, lastmod: xmlText(lastmod.body) } : { loc: value });
  }
  return { kind, entries };
}

const compiled = new Map<string, { open: RegExp; close: RegExp }>();

function patterns(name: string): { open: RegExp; close: RegExp } {
  let p = compiled.get(name);
  if (!p) {
    p = {
      open: new RegExp(`(?:[A-Za-z_][\\w.-]*:)?${name}(?=[\\s>/])`, 'y'),
      close: new RegExp(`</(?:[A-Za-z_][\\w.-]*:)?${name}\\s*>`, 'g'),
    };
    compiled.set(name, p);
  }
  return p;
}

/**
 * The first `<name>` element at or after `from` (any namespace prefix): its content and where it
 * ends. Found with indexOf and sticky matches, never a backtracking search, so a document full of
 * unclosed tags costs one pass, not one pass a tag.
 */
function element(text: string, name: string, from: number): { body: string; end: number } | undefined {
  const { open, close } = patterns(name);
  let at = from;
  for (;;) {
    const lt = text.indexOf('<', at);
    if (lt < 0) return undefined;
    open.lastIndex = lt + 1;
    if (!open.test(text)) {
      at = lt + 1;
      continue;
    }
    const gt = text.indexOf('>', open.lastIndex);
    if (gt < 0) return undefined;
    if (text[gt - 1] === '/') {
      at = gt + 1; // <loc/>: empty
      continue;
    }
    close.lastIndex = gt + 1;
    const end = close.exec(text);
    if (!end) return undefined;
    return { body: text.slice(gt + 1, end.index), end: close.lastIndex };
  }
}

function plainText(text: string, url: string): ParsedSitemap {
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
  if (lines.length > 0 && lines.every((l) => /^https?:\/\/\S+$/i.test(l)))
    return { kind: 'urlset', entries: lines.map((loc) => ({ loc })) };
  const start = JSON.stringify(text.trimStart().slice(0, 40));
  throw new SitemapFormatError(`${url} is not a sitemap (no <urlset> or <sitemapindex>, nor a list of URLs); it starts ${start}`);
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Element text: CDATA as it is, the predefined entities and character references decoded, trimmed. */
function xmlText(raw: string): string {
  let out = '';
  let at = 0;
  for (;;) {
    const cdata = raw.indexOf('<![CDATA[', at);
    const end = cdata < 0 ? raw.length : cdata;
    out += decodeEntities(raw.slice(at, end).replace(/<[^>]*>/g, ''));
    if (cdata < 0) break;
    const close = raw.indexOf(']]>', cdata + 9);
    out += raw.slice(cdata + 9, close < 0 ? raw.length : close);
    if (close < 0) break;
    at = close + 3;
  }
  return out.trim();
}

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-z]+);/g, (whole, name: string) => {
    if (name.startsWith('#')) {
      const code = name[1] === 'x' ? Number.parseInt(name.slice(2), 16) : Number.parseInt(name.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[name] ?? whole;
  });
}

/** A lastmod as an ISO instant in UTC (comparable as text), or undefined when it does not read as a date. */
export function lastmodTime(lastmod: string | undefined): string | undefined {
  if (lastmod === undefined || !/^\d{4}(-\d{2}(-\d{2})?)?([T ].*)?$/.test(lastmod.trim())) return undefined;
  const ms = Date.parse(lastmod.trim());
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}
