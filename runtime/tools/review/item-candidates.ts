// When `extract.items` matches nothing, `collect try` suggests what the items
// could be: on HTML, elements that repeat as siblings (a list of items is a run
// of same-looking elements under one parent); on JSON, arrays of objects. Each
// suggestion is written so it can be pasted into `extract.items` as it is.
import { selectAll } from 'css-select';
import { isTag, isText, type AnyNode, type Element } from 'domhandler';
import type { ParsedPage } from '../../core/extract/types.ts';

export interface ItemCandidate {
  /** A CSS selector (HTML) or JMESPath (JSON), to paste as `extract.items`. */
  items: string;
  /** Elements the selector matches on the page, or objects the path gives. */
  count: number;
  /** The first item's text (HTML) or keys (JSON), shortened. */
  sample: string;
}

/** Fewer siblings than this look like a coincidence (a header and a footer), not a list. */
const MIN_REPEATS = 3;
// Never items: their text is code, or the page's chrome, or a form's choices.
const SKIP = new Set(['head', 'script', 'style', 'noscript', 'template', 'svg', 'select', 'datalist', 'iframe']);
// Words of a sentence ("<strong>30</strong> results, showing <strong>1</strong> to ...") repeat too.
const INLINE = new Set(['a', 'abbr', 'b', 'br', 'code', 'em', 'i', 'img', 'mark', 'small', 'span', 'strong', 'sub', 'sup', 'time', 'u']);

export function itemCandidates(page: ParsedPage, limit = 5): ItemCandidate[] {
  if (page.kind === 'html' || page.kind === 'xml') return htmlItemCandidates(page.doc.root()[0]!, limit);
  // Every row of a CSV page is an item already.
  return page.kind === 'json' ? jsonItemCandidates(page.data, limit) : [];
}

interface Group {
  members: Element[];
  richness: number;
}

export function htmlItemCandidates(root: AnyNode, limit = 5): ItemCandidate[] {
  const groups = repeatedSiblings(root)
    .map((members) => unwrap(members))
    .map((members): Group => ({ members, richness: richness(members) }))
    .filter((g) => g.richness > 0)
    .sort((a, b) => score(b.members.length, b.richness) - score(a.members.length, a.richness))
    // Building a selector queries the whole page several times: only for the likely ones.
    .slice(0, limit * 4);
  const bySelector = new Map<string, ItemCandidate & { score: number }>();
  for (const g of groups) {
    const { selector, count } = selectorFor(root, g.members);
    const candidate = {
      items: selector,
      count,
      sample: shorten(contentOf(g.members[0]!).text.join(' '), 60),
      score: score(count, g.richness),
    };
    const seen = bySelector.get(selector);
    if (!seen || seen.score < candidate.score) bySelector.set(selector, candidate);
  }
  return [...bySelector.values()]
    .sort((a, b) => b.score - a.score || a.items.localeCompare(b.items))
    .slice(0, limit)
    .map(({ items, count, sample }) => ({ items, count, sample }));
}

/** Repetition counts, but with diminishing returns: 50 menu links should not beat 20 products. */
function score(count: number, richness: number): number {
  return Math.log2(1 + count) * richness;
}

function elementChildren(el: AnyNode): Element[] {
  return 'children' in el ? el.children.filter((c): c is Element => isTag(c) && !SKIP.has(c.name)) : [];
}

function classesOf(el: Element): string[] {
  return [...new Set((el.attribs.class ?? '').split(/\s+/).filter(Boolean))];
}

function signature(el: Element): string {
  return [el.name, ...classesOf(el).sort()].join('.');
}

function repeatedSiblings(root: AnyNode): Element[][] {
  const out: Element[][] = [];
  const stack: AnyNode[] = [root];
  while (stack.length) {
    const node = stack.pop()!;
    const children = elementChildren(node);
    const bySig = new Map<string, Element[]>();
    for (const c of children) {
      const key = signature(c);
      bySig.set(key, [...(bySig.get(key) ?? []), c]);
    }
    const inText = 'children' in node && node.children.some((c) => isText(c) && c.data.trim() !== '');
    for (const members of bySig.values()) {
      if (members.length >= MIN_REPEATS && !(inText && INLINE.has(members[0]!.name))) out.push(members);
    }
    stack.push(...children);
  }
  return out;
}

/**
 * `li > article.product_pod`: the list element is a wrapper and the item is
 * what it wraps; suggest the inner element when every wrapper holds just one of
 * the same, named (classed) kind.
 */
function unwrap(members: Element[]): Element[] {
  let current = members;
  for (;;) {
    const inner = current.map(onlyChild);
    const first = inner[0];
    if (!first || classesOf(first).length === 0) return current;
    const sig = signature(first);
    if (inner.some((el) => !el || signature(el) !== sig)) return current;
    current = inner as Element[];
  }
}

function onlyChild(el: Element): Element | undefined {
  const kids = elementChildren(el);
  const looseText = el.children.some((c) => isText(c) && c.data.trim() !== '');
  return kids.length === 1 && !looseText ? kids[0] : undefined;
}

/** How much an element holds, averaged over the group: items carry text, links and pictures. */
function richness(members: Element[]): number {
  let total = 0;
  for (const el of members) {
    const c = contentOf(el);
    const length = c.text.reduce((n, t) => n + t.length, 0);
    total += Math.min(c.text.length, 10) + Math.min(c.links.size, 5) + Math.min(c.images, 2) + Math.min(length, 500) / 100;
  }
  return total / members.length;
}

interface Content {
  /** Text pieces, trimmed and collapsed; joined with spaces they read as on screen. */
  text: string[];
  links: Set<string>;
  images: number;
}

function contentOf(el: Element): Content {
  const out: Content = { text: [], links: new Set(), images: 0 };
  const walk = (node: AnyNode) => {
    if (isText(node)) {
      const t = node.data.replace(/\s+/g, ' ').trim();
      if (t) out.text.push(t);
    } else if (isTag(node) && !SKIP.has(node.name)) {
      if (node.name === 'a' && node.attribs.href) out.links.add(node.attribs.href);
      if (node.name === 'img') out.images++;
      for (const c of node.children) walk(c);
    }
  };
  walk(el);
  return out;
}

function shorten(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return `${space > max / 2 ? cut.slice(0, space) : cut} …`;
}

/**
 * The shortest selector that picks these elements and only elements like them
 * (same tag and classes, under the same kind of parent). When none does, the
 * one with the fewest extra matches; the count is always what pasting it gives.
 */
function selectorFor(root: AnyNode, members: Element[]): { selector: string; count: number } {
  const first = members[0]!;
  const parent = first.parent && isTag(first.parent) ? first.parent : undefined;
  const sig = signature(first);
  const parentSig = parent ? signature(parent) : '';
  const own = simpleSelectors(first);
  const parents = parent ? parentSelectors(parent, members) : [];
  const options = [...own, ...parents.flatMap((p) => own.map((o) => `${p} > ${o}`))];
  const wanted = new Set(members);
  let fallback: { selector: string; count: number } | undefined;
  for (const selector of options) {
    const matches = query(selector, root);
    if (!matches || members.some((m) => !matches.includes(m))) continue;
    const alike = matches.every(
      (m) => wanted.has(m) || (signature(m) === sig && (m.parent && isTag(m.parent) ? signature(m.parent) : '') === parentSig),
    );
    if (alike) return { selector, count: matches.length };
    if (!fallback || matches.length < fallback.count || (matches.length === fallback.count && selector.length > fallback.selector.length))
      fallback = { selector, count: matches.length };
  }
  return fallback ?? { selector: own[own.length - 1]!, count: members.length };
}

function simpleSelectors(el: Element): string[] {
  const classes = classesOf(el).map(cssIdent);
  if (classes.length === 0) return [el.name];
  const each = classes.map((c) => `${el.name}.${c}`);
  return classes.length > 1 ? [...each, `${el.name}.${classes.join('.')}`] : each;
}

function parentSelectors(parent: Element, members: Element[]): string[] {
  const single = members.every((m) => m.parent === parent);
  const id = single && parent.attribs.id ? [`#${cssIdent(parent.attribs.id)}`] : [];
  return [...id, ...simpleSelectors(parent)];
}

function query(selector: string, root: AnyNode): Element[] | undefined {
  try {
    return selectAll(selector, root);
  } catch {
    return undefined; // a class name the escaping did not make valid: try the next form
  }
}

/** Class names such as `md:flex` or `2col` need escaping to be pasted into a selector. */
function cssIdent(name: string): string {
  return name
    .replace(/[^A-Za-z0-9_\-\u00a0-\uffff]/g, (c) => `\\${c}`)
    .replace(/^(-?)(\d)/, (_m, dash: string, d: string) => `${dash}\\3${d} `);
}

// --- JSON -------------------------------------------------------------------

interface JsonArray {
  path: string;
  count: number;
  keys: string[];
  /** Inside the items of another array: more often a field of each item (labels, tags) than the items. */
  nested: boolean;
}

const MAX_DEPTH = 12;

export function jsonItemCandidates(data: unknown, limit = 5): ItemCandidate[] {
  const found = new Map<string, JsonArray>();
  const mixed = new Set<string>();
  walk([data], '', false, 0, found, mixed);
  return [...found.values()]
    .filter((a) => !mixed.has(a.path) && a.count > 0)
    .sort((a, b) => Number(a.nested) - Number(b.nested) || b.count - a.count || a.path.length - b.path.length)
    .slice(0, limit)
    .map((a) => ({ items: a.path, count: a.count, sample: a.keys.length > 6 ? `${a.keys.slice(0, 6).join(', ')}, …` : a.keys.join(', ') }));
}

/**
 * `values` are every node at `path` (several when the path runs through an
 * array's items), so one path is reported once with the objects of all of them.
 */
function walk(values: unknown[], path: string, nested: boolean, depth: number, found: Map<string, JsonArray>, mixed: Set<string>): void {
  if (depth > MAX_DEPTH) return;
  const arrays = values.filter(Array.isArray);
  if (arrays.length) {
    // A path inside items needs a closing `[]` to flatten the per-item lists into one.
    const listPath = path === '' ? '[]' : nested ? `${path}[]` : path;
    const elements = arrays.flat();
    const objects = elements.filter(isObject);
    if (objects.length !== elements.length) mixed.add(listPath);
    if (objects.length) {
      const seen = found.get(listPath);
      found.set(listPath, {
        path: listPath,
        count: (seen?.count ?? 0) + objects.length,
        keys: seen?.keys ?? Object.keys(objects[0]!),
        nested,
      });
      walk(objects, path === '' ? '[]' : `${path}[]`, true, depth + 1, found, mixed);
    }
  }
  const objects = values.filter(isObject);
  const keys = new Set(objects.flatMap((o) => Object.keys(o)));
  for (const key of keys) {
    const children = objects.map((o) => o[key]).filter((v) => v !== undefined && v !== null);
    if (children.some((v) => Array.isArray(v) || isObject(v))) walk(children, join(path, key), nested, depth + 1, found, mixed);
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function join(path: string, key: string): string {
  const id = /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? key : JSON.stringify(key);
  return path === '' ? id : `${path}.${id}`;
}
