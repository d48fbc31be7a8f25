// Relative links resolve against the page's <base href> when it has one, else its URL.

import { isTag, type AnyNode, type Element } from 'domhandler';
import type { ParsedPage } from './types.ts';

const bases = new WeakMap<ParsedPage, string>();

export function pageBase(page: ParsedPage): string {
  let base = bases.get(page);
  if (base === undefined) {
    base = page.url;
    if (page.kind === 'html') {
      const href = findBaseHref(page.doc.root()[0]!);
      if (href) {
        try {
          base = new URL(href, page.url).href;
        } catch {
          // A broken <base href> is ignored, as browsers do.
        }
      }
    }
    bases.set(page, base);
  }
  return base;
}

/** <base> belongs in <head>, so only html > head is looked at, never the whole tree. */
function findBaseHref(root: AnyNode): string | undefined {
  const html = childTag(root, 'html');
  const container: AnyNode = (html && childTag(html, 'head')) ?? html ?? root;
  if (!('children' in container)) return undefined;
  for (const node of container.children) {
    if (isTag(node) && node.name === 'base' && node.attribs.href) return node.attribs.href;
  }
  return undefined;
}

function childTag(parent: AnyNode, name: string): Element | undefined {
  if (!('children' in parent)) return undefined;
  for (const node of parent.children) if (isTag(node) && node.name === name) return node;
  return undefined;
}

/** An absolute http(s) link, or undefined for an empty, unparsable or non-web one (mailto:, javascript:). */
export function resolveLink(page: ParsedPage, href: string | undefined | null): string | undefined {
  if (!href) return undefined;
  const trimmed = href.trim();
  if (trimmed === '') return undefined;
  try {
    const url = new URL(trimmed, pageBase(page));
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}
