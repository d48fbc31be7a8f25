// Counts the work the YAML layer of the loader does, so that a test can say
// "refused before it was parsed" or "no more than N alias expansions" without a
// clock. It wraps methods on the prototypes of the `yaml` package (the runtime
// imports the same module instance), counts while `fn` runs, then restores them.
//
//   const { result, work } = countYamlWork(() => loadCollectorText(text, file));
//   expect(work.composed).toBe(0); // refused by a prescan, never composed
//
// What each count bounds:
// - lexPasses, tokens: the lexer's passes over the text (the prescans of
//   yaml-limits.ts and the parse itself) and the tokens they produced; linear
//   in the text, so a bound on tokens is a bound on the cost of lexing.
// - composed: documents composed into a node tree (the step whose cost grows
//   with nesting, keys and aliases); 0 means the text was refused before.
// - aliasExpansions: aliases turned into plain values (toJS), each one a copy
//   or a reuse of its anchor's value; the billion-laughs cost.
import { Alias, Composer, Lexer } from 'yaml';
import { MAX_ALIAS_COUNT } from '../../runtime/language/yaml-limits.ts';

export interface YamlWork {
  lexPasses: number;
  tokens: number;
  composed: number;
  aliasExpansions: number;
}

export const noWork = (): YamlWork => ({ lexPasses: 0, tokens: 0, composed: 0, aliasExpansions: 0 });

/** Runs `fn` with the counters on; never nest calls. */
export function countYamlWork<T>(fn: () => T): { result: T; work: YamlWork } {
  const work = noWork();
  const lexer = Lexer.prototype as { lex: (...args: unknown[]) => Generator<string> };
  const composer = Composer.prototype as unknown as { compose: (...args: unknown[]) => Generator<unknown> };
  const alias = Alias.prototype as unknown as { toJSON: (...args: unknown[]) => unknown };
  const original = { lex: lexer.lex, compose: composer.compose, toJSON: alias.toJSON };
  lexer.lex = function* (this: unknown, ...args: unknown[]) {
    work.lexPasses++;
    for (const token of original.lex.apply(this, args)) {
      work.tokens++;
      yield token;
    }
  };
  composer.compose = function* (this: unknown, ...args: unknown[]) {
    work.composed++;
    yield* original.compose.apply(this, args);
  };
  alias.toJSON = function (this: unknown, ...args: unknown[]) {
    // Without a context toJSON only describes the alias ({ source }); with one it expands it.
    if (args[1] !== undefined) work.aliasExpansions++;
    return original.toJSON.apply(this, args);
  };
  try {
    return { result: fn(), work };
  } finally {
    lexer.lex = original.lex;
    composer.compose = original.compose;
    alias.toJSON = original.toJSON;
  }
}

/**
 * The most lexer tokens a load of `text` may cost: the lexer emits at most two
 * tokens per character (a source token and a control token announcing it), and
 * the loader lexes a text at most three times (nesting prescan, value count
 * prescan, parse).
 */
function tokenBudget(text: string): number {
  return 3 * (2 * text.length + 4);
}

/**
 * Where the YAML work of loading `text` went over its budget, if it did: more
 * than three lexer passes or tokenBudget(text) tokens, more than one
 * composition, or more alias expansions than MAX_ALIAS_COUNT.
 */
export function overBudget(work: YamlWork, text: string): string | undefined {
  const over: string[] = [];
  if (work.lexPasses > 3) over.push(`${work.lexPasses} lexer passes (at most 3)`);
  if (work.tokens > tokenBudget(text)) over.push(`${work.tokens} tokens for ${text.length} characters (at most ${tokenBudget(text)})`);
  if (work.composed > 1) over.push(`composed ${work.composed} times (at most once)`);
  if (work.aliasExpansions > MAX_ALIAS_COUNT) over.push(`${work.aliasExpansions} alias expansions (at most ${MAX_ALIAS_COUNT})`);
  return over.length ? over.join(', ') : undefined;
}
