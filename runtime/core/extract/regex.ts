// Regular expressions of `regex:` fields. JavaScript syntax; a leading `(?i)`, `(?s)` or `(?m)`
// (as written in Python or Go) becomes the matching flag, since people copy patterns across.

const INLINE_FLAGS = /^\(\?([ims]+)\)/;

/** Throws a SyntaxError on an invalid pattern. */
export function compileRegex(pattern: string): RegExp {
  let source = pattern;
  let flags = '';
  const inline = INLINE_FLAGS.exec(source);
  if (inline) {
    flags = [...new Set(inline[1])].join('');
    source = source.slice(inline[0].length);
  }
  // Unicode mode rejects escapes people write out of habit (`\-`); only \p{...} needs it.
  if (/\\[pP]\{/.test(source)) flags += 'u';
  return new RegExp(source, flags);
}

/** The first capture group, or the whole match when the pattern has no group; null without a match. */
export function applyRegex(re: RegExp, text: string): string | null {
  const m = re.exec(text);
  if (!m) return null;
  return m.length > 1 ? (m[1] ?? null) : m[0];
}
