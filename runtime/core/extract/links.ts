// Links read out of a page or its headers, for pagination.

import { jsonQuery, linkSelector } from './links-cache.ts';
import type { ParsedPage } from './types.ts';
import { resolveLink } from './url.ts';

/**
 * The `attribute` of the first element matching `selector`, as an absolute http(s) URL. On an
 * XML page (an Atom feed's `link[rel=next]`) names are matched, and attributes read, in their case.
 */
export function selectLink(page: ParsedPage, selector: string, attribute = 'href'): string | undefined {
  if (page.kind !== 'html' && page.kind !== 'xml') return undefined;
  const xml = page.kind === 'xml';
  const el = linkSelector(selector, xml).one(page.doc.root()[0]!, page.doc);
  return el ? resolveLink(page, el.attribs[xml ? attribute : attribute.toLowerCase()]) : undefined;
}

/** The JMESPath result on a JSON page (null when nothing matches); undefined on an HTML page. */
export function searchJson(page: ParsedPage, expression: string): unknown {
  if (page.kind !== 'json') return undefined;
  return jsonQuery(expression)(page.data);
}

/**
 * RFC 8288 `Link` header as rel => URL. A link with several rels (`rel="next last"`) is listed
 * under each; the first link of a rel wins. Commas and semicolons inside `<...>` and inside
 * quoted values are part of them. Relative targets resolve against `base` when given.
 */
export function parseLinkHeader(value: string, base?: string): Record<string, string> {
  const links: Record<string, string> = {};
  const n = value.length;
  let i = 0;
  const skipSpace = () => {
    while (i < n && (value[i] === ' ' || value[i] === '\t')) i++;
  };
  while (i < n) {
    const open = value.indexOf('<', i);
    if (open < 0) break;
    const close = value.indexOf('>', open + 1);
    if (close < 0) break;
    const target = value.slice(open + 1, close).trim();
    i = close + 1;
    let rels: string[] = [];
    let sawRel = false;
    // Parameters up to the comma that ends this link.
    while (i < n) {
      skipSpace();
      const c = value[i];
      if (c === ',') {
        i++;
        break;
      }
      if (c !== ';') {
        i++;
        continue;
      }
      i++;
      skipSpace();
      const nameStart = i;
      while (i < n && !'=;, \t'.includes(value[i]!)) i++;
      const name = value.slice(nameStart, i).toLowerCase();
      skipSpace();
      let param = '';
      if (value[i] === '=') {
        i++;
        skipSpace();
        if (value[i] === '"') {
          i++;
          while (i < n && value[i] !== '"') {
            if (value[i] === '\\' && i + 1 < n) i++;
            param += value[i];
            i++;
          }
          i++; // closing quote
        } else {
          const start = i;
          while (i < n && !';, \t'.includes(value[i]!)) i++;
          param = value.slice(start, i);
        }
      }
      // RFC 8288: a second rel parameter on the same link is ignored.
      if (name === 'rel' && !sawRel) {
        sawRel = true;
        rels = param
          .toLowerCase()
          .split(/\s+/)
          .filter((r) => r !== '' && r !== '__proto__');
      }
    }
    const url = absolute(target, base);
    for (const rel of rels) if (url !== undefined && !Object.hasOwn(links, rel)) links[rel] = url;
  }
  return links;
}

function absolute(target: string, base: string | undefined): string | undefined {
  if (base === undefined) return target;
  try {
    return new URL(target, base).href;
  } catch {
    return undefined;
  }
}
