// Numbers as pages print them: "£51.77", "1,234", "1.234,56 €", "USD 99", "15%".
// Around the number only currency signs, a short unit or code and white space may stand, so
// "Test issue 13" or "12 of 34" are not numbers; a `regex` picks numbers out of prose.

const PLAIN = /^\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*$/;
// A run of digits with the group and decimal separators pages use (comma, dot, spaces, apostrophes).
const RUN = /\d(?:[\d.,'\u2019\s]*\d)?/g;
const GROUP_SPACES = /['\u2019\s]/g;
const NEGATIVE_PREFIX = /[-\u2212][\s\p{Sc}]*$/u;
const FRACTION_ONLY_PREFIX = /(?:^|[\s\p{Sc}+\-\u2212])\.$/u;
const AFFIX = /^[\s\p{Sc}%]*(?:\p{L}{1,3}\.?)?[\s\p{Sc}%]*$/u;
const SIGN = /[+\-\u2212]/;

export function parseNumber(text: string): number | null {
  if (PLAIN.test(text)) return Number(text);
  const runs = text.match(RUN);
  if (runs?.length !== 1) return null;
  const run = runs[0]!;
  const at = text.indexOf(run);
  const fractionOnly = FRACTION_ONLY_PREFIX.test(text.slice(0, at)) && /^\d+$/.test(run);
  const prefix = fractionOnly ? text.slice(0, at - 1) : text.slice(0, at);
  if (!AFFIX.test(prefix.replace(SIGN, '')) || !AFFIX.test(text.slice(at + run.length))) return null;
  const value = fractionOnly ? Number(`0.${run}`) : parseRun(run);
  if (value === null) return null;
  return NEGATIVE_PREFIX.test(prefix) ? -value : value;
}

/** Tells group separators from the decimal separator by position and group sizes. */
function parseRun(run: string): number | null {
  const lastDot = run.lastIndexOf('.');
  const lastComma = run.lastIndexOf(',');
  let decimal = -1;
  if (lastDot >= 0 && lastComma >= 0) decimal = Math.max(lastDot, lastComma);
  else if (lastComma >= 0) {
    // "1,234" groups thousands; "12,5" is a decimal comma.
    if (run.indexOf(',') === lastComma && run.length - lastComma - 1 !== 3) decimal = lastComma;
  } else if (lastDot >= 0 && run.indexOf('.') === lastDot) decimal = lastDot;

  const whole = decimal >= 0 ? run.slice(0, decimal) : run;
  const fraction = decimal >= 0 ? run.slice(decimal + 1) : '';
  if (!/^\d*$/.test(fraction)) return null;
  const decimalChar = decimal >= 0 ? run[decimal] : undefined;
  if (decimalChar && whole.includes(decimalChar)) return null;
  const groups = whole.replace(GROUP_SPACES, ',').split(/[.,]/);
  if (groups.length > 1) {
    if (groups[0]!.length < 1 || groups[0]!.length > 3) return null;
    for (let i = 1; i < groups.length; i++) if (groups[i]!.length !== 3) return null;
  }
  return Number(groups.join('') + (fraction ? `.${fraction}` : ''));
}
