// Parses a collector file with yaml, keeping every node's range, so a problem
// found at a path of the plain value (`/paginate/selectr`) can be pinned to the
// line and column where the user wrote it.
import { isAlias, isMap, isScalar, isSeq, parseDocument, visit, type Document, type Node, type YAMLError } from 'yaml';
import type { Severity } from './diagnostic.ts';
import type { Anchor, PathSegment } from './issue.ts';
import { MAX_ALIAS_COUNT, MAX_DEPTH, MAX_FILE_BYTES, checkTree, findTooManyValues, unsafeNestingAt, valueDepth } from './yaml-limits.ts';

export interface Position {
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
}

interface SourceProblem extends Position {
  message: string;
  hint?: string;
  severity: Severity;
}

export interface ParsedYaml {
  /** The plain value, present only when the file parsed without errors. */
  value?: unknown;
  source: YamlSource;
  problems: SourceProblem[];
}

export class YamlSource {
  private lineStarts: number[] | undefined;

  constructor(
    readonly text: string,
    private readonly doc?: Document.Parsed,
  ) {}

  positionAt(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    this.lineStarts ??= lineStarts(this.text);
    const starts = this.lineStarts;
    // Binary search for the last line that starts at or before the offset.
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (starts[mid]! <= clamped) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: clamped - starts[low]! + 1 };
  }

  /**
   * Where a path points: the key of its last segment (`key`), its value (`value`),
   * or the mapping or list at the path (`container`). A path that goes further than
   * the document does points at the deepest node it reaches. `needle` moves the
   * position to that text inside a scalar value, when it appears there verbatim.
   */
  locate(path: readonly PathSegment[], at: Anchor = 'value', needle?: string): Position {
    const doc = this.doc;
    if (!doc?.contents) return { line: 1, column: 1 };
    let node: Node | null = doc.contents;
    let offset = node.range?.[0] ?? 0;
    for (let i = 0; i < path.length; i++) {
      node = deref(doc, node);
      const seg = path[i]!;
      const last = i === path.length - 1;
      if (isMap(node)) {
        const pair = node.items.find((p) => keyText(p.key) === String(seg));
        if (!pair) break;
        const key = pair.key as Node | null;
        const keyOffset = key?.range?.[0] ?? offset;
        const value = pair.value as Node | null;
        if ((last && at === 'key') || isEmpty(value)) return this.positionAt(keyOffset);
        node = value;
        offset = value?.range?.[0] ?? keyOffset;
      } else if (isSeq(node)) {
        const item = node.items[Number(seg)] as Node | null | undefined;
        if (!item || (typeof seg !== 'number' && !/^\d+$/.test(seg))) break;
        node = item;
        offset = item.range?.[0] ?? offset;
      } else {
        break;
      }
    }
    node = deref(doc, node);
    if (needle && node && isScalar(node) && node.range) {
      const written = this.text.slice(node.range[0], node.range[1]);
      const found = written.indexOf(needle);
      if (found >= 0) offset = node.range[0] + found;
    }
    return this.positionAt(offset);
  }
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

function deref(doc: Document.Parsed, node: Node | null): Node | null {
  // One step is enough: an alias always resolves to a scalar, map or list.
  return node && isAlias(node) ? (node.resolve(doc) ?? null) : node;
}

function keyText(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value ?? '');
  return undefined;
}

function isEmpty(value: Node | null): boolean {
  if (value === null) return true;
  return isScalar(value) && value.value === null && (!value.range || value.range[0] === value.range[1]);
}

export function parseYaml(text: string): ParsedYaml {
  const problems: SourceProblem[] = [];
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_FILE_BYTES) {
    const source = new YamlSource(text);
    problems.push({
      line: 1,
      column: 1,
      severity: 'error',
      message: `file is ${bytes} bytes; the limit is ${MAX_FILE_BYTES} (1 MiB)`,
      hint: 'a collector file is a few KiB',
    });
    return { source, problems };
  }
  const tooDeepAt = unsafeNestingAt(text);
  if (tooDeepAt !== undefined) {
    const source = new YamlSource(text);
    problems.push({
      ...source.positionAt(tooDeepAt),
      severity: 'error',
      message: `nesting is deeper than ${MAX_DEPTH} levels`,
      hint: 'a collector needs far fewer levels',
    });
    return { source, problems };
  }

  const tooMany = findTooManyValues(text);
  if (tooMany !== undefined) {
    const source = new YamlSource(text);
    problems.push({
      ...source.positionAt(tooMany.offset),
      severity: 'error',
      message: `the file holds ${tooMany.message}`,
      hint: 'a collector holds a few hundred values; write them out or split the file',
    });
    return { source, problems };
  }

  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true, strict: true, version: '1.2' });
  const source = new YamlSource(text, doc);
  const fromYaml = (e: YAMLError, severity: Severity): SourceProblem => ({
    ...source.positionAt(e.pos[0]),
    severity,
    ...describeYamlError(e, text),
  });
  problems.push(...doc.errors.map((e) => fromYaml(e, 'error')));
  // Unresolved tags are reported (as errors) by checkTree; other warnings stay warnings.
  problems.push(...doc.warnings.filter((w) => w.code !== 'TAG_RESOLVE_FAILED').map((w) => fromYaml(w, 'warning')));
  if (doc.errors.length > 0) return { source, problems };

  const tree = checkTree(doc, text);
  problems.push(
    ...tree.map((p) => ({
      ...source.positionAt(p.offset),
      severity: 'error' as const,
      message: p.message,
      ...(p.hint ? { hint: p.hint } : {}),
    })),
  );
  if (tree.length > 0) return { source, problems };

  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (err) {
    problems.push({
      ...firstAliasPosition(doc, source),
      severity: 'error',
      message: aliasMessage(err),
      hint: 'write the values out or use fewer aliases',
    });
    return { source, problems };
  }
  if (valueDepth(value) > MAX_DEPTH) {
    problems.push({
      ...firstAliasPosition(doc, source),
      severity: 'error',
      message: `nesting through aliases is deeper than ${MAX_DEPTH} levels`,
      hint: 'a collector needs far fewer levels',
    });
    return { source, problems };
  }
  return { value, source, problems };
}

function aliasMessage(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  if (/excessive alias count/i.test(text)) return `aliases expand to too much data (more than ${MAX_ALIAS_COUNT} alias expansions)`;
  return text.charAt(0).toLowerCase() + text.slice(1);
}

function firstAliasPosition(doc: Document.Parsed, source: YamlSource): Position {
  let offset = 0;
  // visit() recurses, which is safe here: the tree was checked to be at most MAX_DEPTH deep.
  visit(doc, {
    Alias(_, node) {
      offset = node.range?.[0] ?? 0;
      return visit.BREAK;
    },
  });
  return source.positionAt(offset);
}

/** yaml's messages, rephrased where a collector author needs more help than a YAML expert. */
function describeYamlError(e: YAMLError, text: string): { message: string; hint?: string } {
  switch (e.code) {
    case 'DUPLICATE_KEY': {
      const key = /^[^:\n]*/.exec(text.slice(e.pos[0]))![0].trim();
      return { message: key ? `duplicate key "${key}"` : 'duplicate key', hint: 'each key may appear once in a mapping' };
    }
    case 'TAB_AS_INDENT':
      return { message: 'tabs are not allowed as indentation', hint: 'indent with spaces' };
    case 'MULTIPLE_DOCS':
      return { message: 'a collector file holds one YAML document', hint: 'remove the "---" separator or split the file' };
    default: {
      const message = e.message.replace(/ at line \d+, column \d+[\s\S]*$/, '');
      return { message: message.charAt(0).toLowerCase() + message.slice(1) };
    }
  }
}
