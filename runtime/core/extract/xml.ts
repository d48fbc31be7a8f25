// XML bodies (XML APIs, RSS, Atom) read into the same kind of tree HTML pages give, with
// htmlparser2 in XML mode: element names keep their case (`pubDate`) and their prefix
// (`dc:creator`, selected as `dc\:creator`), CDATA is text, no element is void or implied.
//
// No entity is ever expanded from a DTD: neither htmlparser2 nor xmldom (used for XPath)
// reads one, and a document that declares entities (`<!ENTITY`, the way to XXE and to
// "billion laughs") is refused outright rather than read with its references left in.

import { load, type CheerioAPI } from 'cheerio/slim';
import { type Document, DomHandler } from 'domhandler';
import { Parser } from 'htmlparser2';
import { NestingTooDeepError, ParseError } from './errors.ts';
import { MAX_NESTING_DEPTH } from './nesting.ts';

/** Thrown from the parser's callback to stop it at the first element too deep. */
class TooDeep extends Error {}

/** Counts open elements as the parser goes, so a hostile document is refused before its tree is built. */
class BoundedXmlHandler extends DomHandler {
  constructor(private readonly limit: number) {
    super(undefined, { xmlMode: true });
  }

  override onopentag(name: string, attribs: Record<string, string>): void {
    super.onopentag(name, attribs);
    // tagStack holds the document too.
    if (this.tagStack.length - 1 > this.limit) throw new TooDeep();
  }
}

export function parseXml(text: string, url: string): CheerioAPI {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const entity = entityDeclaration(body);
  if (entity >= 0) {
    throw new ParseError(
      url,
      entity,
      'the document declares entities (<!ENTITY in its DOCTYPE); DTD entities are never expanded, so the page is refused',
      'XML',
    );
  }
  const handler = new BoundedXmlHandler(MAX_NESTING_DEPTH);
  try {
    new Parser(handler, { xmlMode: true, decodeEntities: true }).end(body);
  } catch (err) {
    if (err instanceof TooDeep) throw new NestingTooDeepError(url, 'XML', MAX_NESTING_DEPTH);
    throw err;
  }
  return load(handler.root as Document, { xml: true });
}

/** Where the first entity declaration is, or -1. Only a document with a DOCTYPE can declare one. */
function entityDeclaration(text: string): number {
  if (!text.includes('<!DOCTYPE')) return -1;
  return text.indexOf('<!ENTITY');
}

/** Whether a body without a Content-Type looks like XML rather than (X)HTML. */
export function looksLikeXml(text: string): boolean {
  const head = text.slice(0, 2048).replace(/^[\s\uFEFF]+/, '');
  if (!head.startsWith('<?xml') && !/^<(rss|feed|rdf:RDF)[\s>]/.test(head)) return false;
  return !/<html[\s>]/i.test(head);
}
