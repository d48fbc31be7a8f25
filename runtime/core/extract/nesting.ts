// How deep a page nests, measured without recursion, so that a page built to
// exhaust the stack (thousands of nested elements or arrays) is refused before
// any recursive code walks it: domutils' text and HTML serialisers, css-select,
// JMESPath, JSON.stringify when a record is written. A JSON body is scanned as
// text before it is parsed; an HTML document is measured while it is parsed
// (only the parser knows how deep the page really nests: end tags are implied,
// void elements never open), and the parse stops at the first element too deep.

import { type Document, DomHandler } from 'domhandler';
import { Parser } from 'htmlparser2';

/**
 * The deepest a page may nest. Node's default stack takes recursive walks to
 * about 2,500 levels (domutils' textContent) or 4,000 (JSON.stringify); 512
 * keeps a wide margin, and no real page comes near it (browsers cap an HTML
 * tree at 512 levels too).
 */
export const MAX_NESTING_DEPTH = 512;

/** Whether the arrays and objects of a JSON text nest deeper than `limit`. One linear pass; strings are skipped. */
export function jsonNestsDeeper(text: string, limit: number): boolean {
  let depth = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      i = closingQuote(text, i);
      if (i < 0) return false; // unterminated: JSON.parse says so
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > limit) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

/** The index of the quote that closes the string opened at `open`, or -1. */
function closingQuote(text: string, open: number): number {
  let at = text.indexOf('"', open + 1);
  while (at > 0) {
    let backslashes = 0;
    while (text.charCodeAt(at - 1 - backslashes) === 0x5c) backslashes++;
    if (backslashes % 2 === 0) return at;
    at = text.indexOf('"', at + 1);
  }
  return -1;
}

/** Thrown from inside the HTML parser's callbacks to stop it at the first element too deep. */
class TooDeep extends Error {}

/** DomHandler that stops the parse as soon as an element opens deeper than `limit`. */
class BoundedHandler extends DomHandler {
  constructor(private readonly limit: number) {
    super(undefined, { xmlMode: false });
  }

  override onopentag(name: string, attribs: Record<string, string>): void {
    super.onopentag(name, attribs);
    // tagStack holds the document too.
    if (this.tagStack.length - 1 > this.limit) throw new TooDeep();
  }
}

/**
 * The HTML document tree, or undefined when an element nests deeper than `limit`.
 * The depth is checked while parsing, not after: htmlparser2 keeps its open
 * elements in an array it shifts, so a tree 100,000 levels deep takes seconds to
 * build (minutes at 200,000), and a page is refused before that work starts.
 */
export function parseHtmlWithin(text: string, limit: number): Document | undefined {
  const handler = new BoundedHandler(limit);
  try {
    new Parser(handler, { xmlMode: false, decodeEntities: true }).end(text);
  } catch (err) {
    if (err instanceof TooDeep) return undefined;
    throw err;
  }
  return handler.root;
}
