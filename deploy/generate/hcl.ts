// A tiny HCL writer that produces what `terraform fmt` would: two-space indents,
// `=` aligned within a run of single-line arguments (a multi-line value, a blank
// line, a comment or a block ends the run), blank lines around blocks, and lists
// of two or more items one item a line so that a new collector is a one-line diff.

/** An expression written as is: a reference, a function call, arithmetic. */
export class Raw {
  constructor(readonly text: string) {}
}

/** A function call whose single argument is rendered like any value: `jsonencode({ ... })`. */
export class Call {
  constructor(
    readonly fn: string,
    readonly arg: HclValue,
  ) {}
}

export type HclValue = string | number | boolean | null | Raw | Call | readonly HclValue[] | { readonly [key: string]: HclValue };

export type BodyItem =
  | { kind: 'attr'; name: string; value: HclValue }
  | { kind: 'block'; type: string; labels: string[]; body: BodyItem[] }
  | { kind: 'comment'; text: string }
  | { kind: 'blank' };

export const raw = (text: string): Raw => new Raw(text);
export const call = (fn: string, arg: HclValue): Call => new Call(fn, arg);
export const attr = (name: string, value: HclValue): BodyItem => ({ kind: 'attr', name, value });
export const block = (type: string, labels: string[], body: BodyItem[]): BodyItem => ({ kind: 'block', type, labels, body });
export const comment = (text: string): BodyItem => ({ kind: 'comment', text });
export const blank = (): BodyItem => ({ kind: 'blank' });

/** A quoted template: literal parts are escaped, Raw parts become `${...}` interpolations. */
export function template(...parts: (string | Raw)[]): Raw {
  return raw(`"${parts.map((p) => (p instanceof Raw ? `\${${p.text}}` : escapeString(p))).join('')}"`);
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const INDENT = '  ';

/** Renders a whole file: top-level items, one trailing newline; a leading comment is the file's header. */
export function renderFile(items: BodyItem[]): string {
  const [first, second] = items;
  const body = first?.kind === 'comment' && second && second.kind !== 'blank' ? [first, blank(), ...items.slice(1)] : items;
  return `${renderBody(body, 0).join('\n')}\n`;
}

/** What escapeString changes; most strings hold none of it, and a thousand collectors make many strings. */
const NEEDS_ESCAPE = /[\\"\n\r\t]|\$\{|%\{/;

function escapeString(text: string): string {
  if (!NEEDS_ESCAPE.test(text)) return text;
  return (
    text
      .replace(/\\/g, '\\\\')
      .replace(/"/g, '\\"')
      .replace(/\n/g, '\\n')
      .replace(/\r/g, '\\r')
      .replace(/\t/g, '\\t')
      // ("$$" in a replacement is one "$": this writes "$${", which HCL reads as a literal "${".)
      .replace(/\$\{/g, '$$$${')
      .replace(/%\{/g, '%%{')
  );
}

function renderValue(value: HclValue, depth: number): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return `"${escapeString(value)}"`;
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : fail(`cannot write the number ${value}`);
  if (typeof value === 'boolean') return String(value);
  if (value instanceof Raw) return value.text;
  if (value instanceof Call) return `${value.fn}(${renderValue(value.arg, depth)})`;
  if (isList(value)) return renderList(value, depth);
  return renderObject(value, depth);
}

function renderList(items: readonly HclValue[], depth: number): string {
  if (items.length === 0) return '[]';
  if (items.length === 1) {
    const only = renderValue(items[0]!, depth);
    if (!only.includes('\n')) return `[${only}]`;
  }
  const pad = INDENT.repeat(depth + 1);
  const lines = items.map((item) => `${pad}${renderValue(item, depth + 1)},`);
  return `[\n${lines.join('\n')}\n${INDENT.repeat(depth)}]`;
}

function renderObject(object: { readonly [key: string]: HclValue }, depth: number): string {
  const entries = Object.entries(object);
  if (entries.length === 0) return '{}';
  const items = entries.map(([key, value]) => attr(IDENTIFIER.test(key) ? key : `"${escapeString(key)}"`, value));
  return `{\n${renderBody(items, depth + 1).join('\n')}\n${INDENT.repeat(depth)}}`;
}

function renderBody(items: BodyItem[], depth: number): string[] {
  const pad = INDENT.repeat(depth);
  const spaced = withBlankLines(items);
  const out: string[] = [];
  let run: { name: string; value: string }[] = [];
  const flush = (): void => {
    const width = Math.max(0, ...run.map((a) => a.name.length));
    for (const a of run) out.push(`${pad}${a.name.padEnd(width)} = ${a.value}`);
    run = [];
  };
  for (const item of spaced) {
    if (item.kind === 'attr') {
      const value = renderValue(item.value, depth);
      if (!value.includes('\n')) {
        run.push({ name: item.name, value });
        continue;
      }
      flush();
      out.push(`${pad}${item.name} = ${value}`);
      continue;
    }
    flush();
    if (item.kind === 'blank') out.push('');
    else if (item.kind === 'comment') out.push(...item.text.split('\n').map((line) => (line ? `${pad}# ${line}` : `${pad}#`)));
    else out.push(...renderBlock(item, depth));
  }
  flush();
  return out;
}

function renderBlock(item: Extract<BodyItem, { kind: 'block' }>, depth: number): string[] {
  const pad = INDENT.repeat(depth);
  const head = [item.type, ...item.labels.map((l) => `"${escapeString(l)}"`)].join(' ');
  if (item.body.length === 0) return [`${pad}${head} {}`];
  return [`${pad}${head} {`, ...renderBody(item.body, depth + 1), `${pad}}`];
}

/** A blank line between a block and its neighbours; a comment stays glued to the block after it. */
function withBlankLines(items: BodyItem[]): BodyItem[] {
  const out: BodyItem[] = [];
  for (const item of items) {
    const prev = out[out.length - 1];
    const needsGap =
      prev !== undefined &&
      prev.kind !== 'blank' &&
      item.kind !== 'blank' &&
      (prev.kind === 'block' || (item.kind === 'block' && prev.kind !== 'comment'));
    if (needsGap) out.push(blank());
    out.push(item);
  }
  return out;
}

function isList(value: HclValue): value is readonly HclValue[] {
  return Array.isArray(value);
}

function fail(message: string): never {
  throw new Error(message);
}
