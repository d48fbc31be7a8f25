// How deep a page nests, measured without recursion, so that a page built to
// exhaust the stack (thousands of nested elements or arrays) is refused before
// any recursive code walks it: domutils' text and HTML serialisers, css-select,
// JMESPath, JSON.stringify when a record is written. A JSON body is scanned as
// text before it is parsed; an HTML document is parsed first (htmlparser2
// builds its tree without recursion, and only the parsed tree says how deep
// the page really nests: end tags are implied, void elements never open).

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

/** The tree shape the HTML check walks (domhandler's nodes have it). */
interface TreeNode {
  parent: TreeNode | null;
  next: TreeNode | null;
  children?: TreeNode[];
}

/** Whether a parsed tree is deeper than `limit` below `root`. Walks the tree by its links, with no stack. */
export function treeNestsDeeper(root: TreeNode, limit: number): boolean {
  let node = root.children?.[0];
  let depth = 1;
  while (node) {
    if (depth > limit) return true;
    const first = node.children?.[0];
    if (first) {
      node = first;
      depth++;
      continue;
    }
    while (node.next === null) {
      const parent: TreeNode | null = node.parent;
      if (parent === null || parent === root) return false;
      node = parent;
      depth--;
    }
    node = node.next;
  }
  return false;
}
