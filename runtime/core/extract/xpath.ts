// XPath 1.0 on XML pages, with the `xpath` package over an @xmldom/xmldom document. The
// document is parsed for XPath only when a collector uses XPath, once per page (the CSS tree
// of the page is htmlparser2's, which XPath cannot walk).
//
// Namespaces: every prefix the document declares can be used as it is (`dc:creator`,
// `media:content`), and a name without a prefix matches an element whatever its namespace,
// so `//entry/title` reads an Atom feed whose default namespace is the Atom one.

import { DOMParser, type Document as XmlDocument, type Node as XmlNode, XMLSerializer } from '@xmldom/xmldom';
import * as xpathLib from 'xpath';
import { ParseError } from './errors.ts';
import type { ParsedPage } from './types.ts';

export type { XmlNode };

type XmlPage = Extract<ParsedPage, { kind: 'xml' }>;

/** What `xpath.parse(...).evaluate(...)` gives (the package's .d.ts leaves `parse` out). */
interface XPathValue {
  stringValue(): string;
  numberValue(): number;
  booleanValue(): boolean;
}
interface XNodeSetValue extends XPathValue {
  toArray(): XmlNode[];
}
interface XPathEvaluator {
  evaluate(options: { node: XmlNode; namespaces: Record<string, string>; allowAnyNamespaceForNoPrefix: boolean }): XPathValue;
}
type Constructor = new (...args: never[]) => unknown;
const lib = xpathLib as unknown as {
  parse(expression: string): XPathEvaluator;
  XNodeSet: Constructor;
  XNumber: Constructor;
  XBoolean: Constructor;
};

/** One result of an expression: nodes, or the string, number or boolean an XPath function gives. */
export type XPathResult = { nodes: XmlNode[] } | { value: string | number | boolean | null };

export type CompiledXPath = (node: XmlNode, page: XmlPage) => XPathResult;

/** Throws on a syntax error. */
export function compileXPath(expression: string): CompiledXPath {
  const parsed = lib.parse(expression);
  return (node, page) => {
    let result: XPathValue;
    try {
      result = parsed.evaluate({ node, namespaces: namespacesOf(page), allowAnyNamespaceForNoPrefix: true });
    } catch {
      // A prefix this document does not declare, a function given the wrong type: no value.
      return { value: null };
    }
    if ((result as object) instanceof lib.XNodeSet) return { nodes: (result as XNodeSetValue).toArray() };
    if ((result as object) instanceof lib.XNumber) {
      const n = result.numberValue();
      return { value: Number.isFinite(n) ? n : null };
    }
    if ((result as object) instanceof lib.XBoolean) return { value: result.booleanValue() };
    return { value: result.stringValue() };
  };
}

const documents = new WeakMap<XmlPage, XmlDocument>();
const namespaces = new WeakMap<XmlPage, Record<string, string>>();

/** The page as an xmldom document, parsed on first use. */
export function xmlDocument(page: XmlPage): XmlDocument {
  let doc = documents.get(page);
  if (!doc) {
    const text = page.text.charCodeAt(0) === 0xfeff ? page.text.slice(1) : page.text;
    try {
      // Warnings and recoverable errors (an undefined entity left as text) are the page's business.
      doc = new DOMParser({ onError: () => undefined }).parseFromString(text, 'text/xml');
    } catch (e) {
      throw new ParseError(page.url, -1, (e as Error).message, 'XML');
    }
    documents.set(page, doc);
  }
  return doc;
}

/** Every `xmlns:prefix` the document declares (the first declaration of a prefix wins). */
function namespacesOf(page: XmlPage): Record<string, string> {
  let map = namespaces.get(page);
  if (!map) {
    map = Object.create(null) as Record<string, string>;
    const all = xmlDocument(page).getElementsByTagName('*');
    for (let i = 0; i < all.length; i++) {
      const attrs = all.item(i)!.attributes;
      for (let j = 0; j < attrs.length; j++) {
        const a = attrs.item(j)!;
        const prefix = a.name.startsWith('xmlns:') ? a.name.slice(6) : '';
        if (prefix !== '' && !(prefix in map)) map[prefix] = a.value;
      }
    }
    namespaces.set(page, map);
  }
  return map;
}

const ELEMENT = 1;
const ATTRIBUTE = 2;
const DOCUMENT = 9;

export function isXmlElement(node: XmlNode): node is import('@xmldom/xmldom').Element {
  return node.nodeType === ELEMENT;
}

/** A node's value as a field reads it: an element's text (or its `attr`), an attribute's value, a text node's text. */
export function nodeText(node: XmlNode, attr: string | undefined): string | null {
  if (attr !== undefined) return isXmlElement(node) && node.hasAttribute(attr) ? node.getAttribute(attr) : null;
  if (node.nodeType === ATTRIBUTE) return (node as import('@xmldom/xmldom').Attr).value;
  if (node.nodeType === DOCUMENT) return (node as XmlDocument).documentElement?.textContent ?? null;
  return node.textContent;
}

const serializer = new XMLSerializer();

/** The markup inside an element (`html: true`). */
export function innerXml(node: XmlNode): string {
  let out = '';
  for (let c = node.firstChild; c !== null; c = c.nextSibling) out += serializer.serializeToString(c);
  return out;
}
