// JSON found inside a page: a <script> holding JSON, or a JavaScript assignment of an object or
// array literal (`window.__DATA__ = {...};`, `var x = [...]`, `x = JSON.parse("...")`). The
// literal is cut out by scanning for its closing bracket (strings, escapes and comments are
// skipped) and handed to JSON.parse. Nothing is ever evaluated: a literal that is JavaScript
// but not JSON (unquoted keys, single quotes, trailing commas) is reported, not guessed at.

import { NestingTooDeepError } from './errors.ts';
import { locateJsonError } from './json-error.ts';
import { jsonNestsDeeper, MAX_NESTING_DEPTH } from './nesting.ts';

/** `absent`: the text holds nothing of the kind (no such name, no bracket), as opposed to something broken. */
export type Embedded = { ok: true; value: unknown } | { ok: false; problem: string; absent?: true };

/**
 * `name` undefined: the text is JSON, or the first object or array literal in it is.
 * `name`: the value assigned to that variable or property (`window.__DATA__` or `__DATA__`).
 * Throws NestingTooDeepError for data nested past the page ceiling, as a JSON page would.
 */
export function readEmbeddedJson(text: string, url: string, name?: string): Embedded {
  if (name !== undefined) return assigned(text, url, name);
  const trimmed = stripWrapping(text);
  if (trimmed === '') return { ok: false, problem: 'the text is empty', absent: true };
  const first = trimmed[0];
  if (first === '{' || first === '[' || first === '"') {
    const whole = parse(trimmed, url);
    if (whole.ok) return whole;
  }
  const open = firstBracket(trimmed);
  if (open < 0) return { ok: false, problem: 'no JSON object or array in the text', absent: true };
  return literalAt(trimmed, open, url);
}

/** HTML comments and CDATA markers old pages wrap script contents in. */
function stripWrapping(text: string): string {
  return text
    .trim()
    .replace(/^(?:<!--|\/\*\s*<!\[CDATA\[\s*\*\/|<!\[CDATA\[)/, '')
    .replace(/(?:-->|\/\*\s*\]\]>\s*\*\/|\]\]>)$/, '')
    .trim();
}

/** The first `{` or `[` that is code, not inside a string or a comment; -1 when there is none. */
function firstBracket(text: string): number {
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '{' || c === '[') return i;
    const skipped = skip(text, i);
    if (skipped < 0) return -1;
    i = skipped;
  }
  return -1;
}

/** Past the string or comment that starts at `i` (the index of its last character), `i` itself if none does, -1 if it never ends. */
function skip(text: string, i: number): number {
  const c = text[i];
  if (c === '"' || c === "'" || c === '`') return stringEnd(text, i);
  if (c === '/' && text[i + 1] === '/') {
    const nl = text.indexOf('\n', i);
    return nl < 0 ? text.length : nl;
  }
  if (c === '/' && text[i + 1] === '*') {
    const close = text.indexOf('*/', i + 2);
    return close < 0 ? -1 : close + 1;
  }
  return i;
}

const IDENT = /[A-Za-z0-9_$]/;

function assigned(text: string, url: string, name: string): Embedded {
  let sawName = false;
  for (let at = text.indexOf(name); at >= 0; at = text.indexOf(name, at + 1)) {
    const before = text[at - 1];
    const afterName = at + name.length;
    // A whole name: `x` is not the end of `max`, nor the start of `x2`.
    if ((before !== undefined && IDENT.test(before)) || IDENT.test(text[afterName] ?? '')) continue;
    sawName = true;
    let i = skipSpace(text, afterName);
    // `=`, not `==`, `=>` or `!=`; a property in an object literal (`__DATA__: {...}`) counts too.
    if (text[i] === '=' && text[i + 1] !== '=' && text[i + 1] !== '>') i++;
    else if (text[i] === ':') i++;
    else continue;
    i = skipSpace(text, i);
    if (text[i] === '{' || text[i] === '[') return literalAt(text, i, url);
    const viaParse = /^JSON\.parse\s*\(\s*/.exec(text.slice(i, i + 64));
    if (viaParse) {
      const str = stringLiteral(text, i + viaParse[0].length);
      if (!str) return { ok: false, problem: `${name} is assigned JSON.parse(...) of something other than a string literal` };
      return parse(str, url);
    }
  }
  return sawName
    ? { ok: false, problem: `${name} is not assigned an object or array literal` }
    : { ok: false, problem: `no ${name} in the text`, absent: true };
}

function skipSpace(text: string, i: number): number {
  while (i < text.length && /\s/.test(text[i]!)) i++;
  return i;
}

/** The literal that opens at `open`, parsed. */
function literalAt(text: string, open: number, url: string): Embedded {
  const end = closingBracket(text, open);
  if (end < 0) return { ok: false, problem: 'the object or array literal is not closed' };
  return parse(text.slice(open, end + 1), url);
}

function parse(literal: string, url: string): Embedded {
  if (jsonNestsDeeper(literal, MAX_NESTING_DEPTH)) throw new NestingTooDeepError(url, 'JSON', MAX_NESTING_DEPTH);
  try {
    return { ok: true, value: JSON.parse(literal) as unknown };
  } catch {
    // The position only: the parser's own message quotes the page, and warnings reach the logs.
    const at = locateJsonError(literal)?.position;
    return {
      ok: false,
      problem: `the literal is not valid JSON${at !== undefined ? ` (syntax error at character ${at})` : ''}; JavaScript is never evaluated`,
    };
  }
}

/**
 * The index of the bracket that closes the one at `open`, or -1. Strings in any of the three
 * quotes (with their escapes) and comments are skipped; nesting is counted, not recursed.
 */
function closingBracket(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i]!;
    if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') {
      depth--;
      if (depth === 0) return i;
    } else {
      i = skip(text, i);
      if (i < 0) return -1;
    }
  }
  return -1;
}

/** The index of the quote that closes the string opened at `open`, or -1. */
function stringEnd(text: string, open: number): number {
  const quote = text[open];
  for (let i = open + 1; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') i++;
    else if (c === quote) return i;
    else if ((c === '\n' || c === '\r') && quote !== '`') return -1;
  }
  return -1;
}

/** The value of the JavaScript string literal at `open` ('...' or "..."), or undefined. */
function stringLiteral(text: string, open: number): string | undefined {
  const quote = text[open];
  if (quote !== '"' && quote !== "'") return undefined;
  const end = stringEnd(text, open);
  if (end < 0) return undefined;
  const body = text.slice(open + 1, end);
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== '\\') {
      out += c;
      continue;
    }
    const e = body[++i];
    if (e === undefined) break;
    switch (e) {
      case 'n':
        out += '\n';
        break;
      case 't':
        out += '\t';
        break;
      case 'r':
        out += '\r';
        break;
      case 'b':
        out += '\b';
        break;
      case 'f':
        out += '\f';
        break;
      case 'v':
        out += '\v';
        break;
      case '0':
        out += '\0';
        break;
      case 'x': {
        const hex = body.slice(i + 1, i + 3);
        if (!/^[0-9a-fA-F]{2}$/.test(hex)) return undefined;
        out += String.fromCharCode(Number.parseInt(hex, 16));
        i += 2;
        break;
      }
      case 'u': {
        const braced = /^\{([0-9a-fA-F]{1,6})\}/.exec(body.slice(i + 1));
        if (braced) {
          out += String.fromCodePoint(Number.parseInt(braced[1]!, 16));
          i += braced[0].length;
          break;
        }
        const hex = body.slice(i + 1, i + 5);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) return undefined;
        out += String.fromCharCode(Number.parseInt(hex, 16));
        i += 4;
        break;
      }
      case '\n':
        break; // a line continuation
      default:
        out += e; // \" \' \\ \/ and any other escaped character stand for themselves
    }
  }
  return out;
}
