// Guards against hostile or broken YAML that would otherwise cost the loader
// its stack, its memory or its time. Every check here is iterative.
import { CST, Lexer, isAlias, isMap, isPair, isScalar, isSeq, type Document, type Node } from 'yaml';

/** Largest collector file accepted. Real collectors are a few KiB. */
export const MAX_FILE_BYTES = 1024 * 1024;
/** Deepest nesting of mappings and lists accepted. Real collectors nest about 8 levels. */
export const MAX_DEPTH = 64;
/** yaml's limit on alias expansion; a billion-laughs document trips it on its first levels. */
export const MAX_ALIAS_COUNT = 100;
/**
 * Most scalar values and aliases a file may hold. Real collectors hold a few
 * hundred. yaml's unique-key check and each alias's resolution cost time in
 * proportion to the whole document, so without a bound a file well under
 * MAX_FILE_BYTES takes minutes.
 */
export const MAX_VALUES = 5_000;

/** Where a file first holds more than MAX_VALUES values or MAX_ALIAS_COUNT aliases, in one pass of the lexer. */
export function findTooManyValues(text: string): { offset: number; message: string } | undefined {
  let offset = 0;
  let values = 0;
  let aliases = 0;
  for (const token of new Lexer().lex(text)) {
    const type = CST.tokenType(token);
    // Control tokens mark the lexer's state and are not part of the source text; 'scalar' announces a value.
    if (type === 'scalar' && ++values > MAX_VALUES) return { offset, message: `more than ${MAX_VALUES} values` };
    if (type === 'doc-mode' || type === 'scalar' || type === 'flow-error-end') continue;
    if (type === 'alias' && ++aliases > MAX_ALIAS_COUNT) return { offset, message: `more than ${MAX_ALIAS_COUNT} aliases` };
    offset += token.length;
  }
  return undefined;
}

/**
 * The yaml composer recurses once per nesting level, and V8 can abort the whole
 * process (not throw) when a regular expression is compiled near the stack limit
 * (seen at about 1,000 levels; 700 levels of every shape compose fine). So before
 * anything is composed, nesting is bounded cheaply, and measured on the token
 * stream when the cheap bound is not low enough. The exact check (MAX_DEPTH, with
 * the position of the offending node) runs on the parsed tree.
 */
const SAFE_TO_COMPOSE = 256;
const PRESCAN_LIMIT = MAX_DEPTH + 16;

/**
 * A proven upper bound on nesting: every flow collection opens with a bracket, and
 * the block collections around a node start at distinct, smaller columns.
 */
function nestingBound(text: string): number {
  let brackets = 0;
  let longest = 0;
  let lineStart = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 0x5b || ch === 0x7b) brackets++;
    else if (ch === 0x0a) {
      longest = Math.max(longest, i - lineStart);
      lineStart = i + 1;
    }
  }
  longest = Math.max(longest, text.length - lineStart);
  return brackets + longest + 1;
}

/** Offset where nesting gets too deep to compose safely, if it does. */
export function unsafeNestingAt(text: string): number | undefined {
  if (nestingBound(text) <= SAFE_TO_COMPOSE) return undefined;
  return findExcessiveNesting(text);
}

/** Offset of the token where the estimated nesting first exceeds the limit, if it does. */
function findExcessiveNesting(text: string, limit = PRESCAN_LIMIT): number | undefined {
  let offset = 0;
  let flow = 0;
  let lineStart = true;
  let lineIndent = 0;
  let indicators = 0;
  const indents: number[] = [];
  for (const token of new Lexer().lex(text)) {
    const type = CST.tokenType(token);
    // Control tokens mark the lexer's state and are not part of the source text.
    if (type === 'doc-mode' || type === 'scalar' || type === 'flow-error-end') continue;
    switch (type) {
      case 'newline':
        lineStart = true;
        lineIndent = 0;
        indicators = 0;
        break;
      case 'space':
        if (lineStart) lineIndent = token.length;
        break;
      case 'comment':
      case 'byte-order-mark':
        break;
      default: {
        if (lineStart) {
          lineStart = false;
          if (flow === 0) {
            while (indents.length > 0 && indents[indents.length - 1]! >= lineIndent) indents.pop();
            indents.push(lineIndent);
          }
        }
        if (type === 'flow-map-start' || type === 'flow-seq-start') flow++;
        else if (type === 'flow-map-end' || type === 'flow-seq-end') flow = Math.max(0, flow - 1);
        else if (flow === 0 && (type === 'seq-item-ind' || type === 'explicit-key-ind' || type === 'map-value-ind')) indicators++;
        if (indents.length + indicators + flow > limit) return offset;
      }
    }
    offset += token.length;
  }
  return undefined;
}

export interface TreeProblem {
  offset: number;
  message: string;
  hint?: string;
}

/** Tags that only restate what plain YAML already means; anything else (binary, sets, custom tags) is refused. */
const PLAIN_TAGS = new Set(['str', 'int', 'float', 'bool', 'null', 'map', 'seq'].map((t) => `tag:yaml.org,2002:${t}`));

/**
 * Walks the parsed tree once (aliases are not followed): nesting depth, keys that
 * are not scalars, unsupported tags, and aliases that point into themselves (which
 * would make a cyclic object).
 */
export function checkTree(doc: Document.Parsed, text: string): TreeProblem[] {
  const problems: TreeProblem[] = [];
  const root = doc.contents;
  if (!root) return problems;
  const stack: { node: Node; depth: number }[] = [{ node: root, depth: 1 }];
  let tooDeep = false;
  while (stack.length > 0) {
    const { node, depth } = stack.pop()!;
    const start = node.range?.[0] ?? 0;
    if (node.tag && !PLAIN_TAGS.has(node.tag) && !isAlias(node)) {
      problems.push({
        offset: tagOffset(text, start),
        message: `unsupported YAML tag "${node.tag.replace('tag:yaml.org,2002:', '!!')}"`,
        hint: 'write plain values without tags',
      });
    }
    if (isAlias(node)) {
      const target = node.resolve(doc);
      if (target === undefined) {
        problems.push({
          offset: start,
          message: `unknown alias "*${node.source}"`,
          hint: `define the anchor "&${node.source}" before using it`,
        });
      } else if (target.range && target.range[0] <= start && start < target.range[2]) {
        problems.push({
          offset: start,
          message: `alias "*${node.source}" refers to a node that contains it`,
          hint: 'aliases must not be recursive',
        });
      }
      continue;
    }
    if (!isMap(node) && !isSeq(node)) continue;
    if (depth > MAX_DEPTH) {
      if (!tooDeep)
        problems.push({ offset: start, message: `nesting is deeper than ${MAX_DEPTH} levels`, hint: 'a collector needs far fewer levels' });
      tooDeep = true;
      continue;
    }
    for (const item of node.items) {
      if (isPair(item)) {
        const key = item.key as Node | null;
        if (key && !isScalar(key) && !isAlias(key)) {
          problems.push({ offset: key.range?.[0] ?? start, message: 'a key must be a plain name, not a list or mapping' });
        } else if (key) {
          stack.push({ node: key, depth: depth + 1 });
        }
        if (item.value) stack.push({ node: item.value as Node, depth: depth + 1 });
      } else if (item) {
        stack.push({ node: item as Node, depth: depth + 1 });
      }
    }
  }
  return problems.sort((a, b) => a.offset - b.offset);
}

/** The node's range starts after its tag; point at the `!` when it is on the same line. */
function tagOffset(text: string, nodeStart: number): number {
  const bang = text.lastIndexOf('!', nodeStart);
  const lineStart = text.lastIndexOf('\n', nodeStart - 1);
  return bang > lineStart ? bang - (text[bang - 1] === '!' ? 1 : 0) : nodeStart;
}

/**
 * Depth of a plain value with aliases expanded (an alias may graft a deep subtree
 * into another deep subtree). Stops counting once past `limit`.
 */
export function valueDepth(value: unknown, limit = MAX_DEPTH): number {
  let max = 0;
  const stack: { v: unknown; depth: number }[] = [{ v: value, depth: 1 }];
  while (stack.length > 0) {
    const { v, depth } = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth > max) max = depth;
    if (max > limit) return max;
    for (const child of Object.values(v)) stack.push({ v: child, depth: depth + 1 });
  }
  return max;
}
