// JMESPath expressions parsed once; evaluation walks the compiled tree.

import { compile, TreeInterpreter, type JSONValue } from '@jmespath-community/jmespath';
import { ExtractConfigError } from './errors.ts';

export type JsonQuery = (value: unknown) => unknown;

/** Throws on a syntax error. */
export function compileJmesPath(expression: string): JsonQuery {
  if (expression.trim() === '@') return (value) => value;
  const tree = compile(expression);
  return (value) => {
    try {
      return TreeInterpreter.search(tree, value as JSONValue);
    } catch {
      // Errors at run time come from the data (a function given the wrong type): no value.
      return null;
    }
  };
}

/** A JMESPath of an `extract` block; an ExtractConfigError names `where` when it does not compile. */
export function queryFor(expression: string, where: string): JsonQuery {
  try {
    return compileJmesPath(expression);
  } catch (e) {
    throw new ExtractConfigError(where, `invalid JMESPath ${JSON.stringify(expression)}: ${(e as Error).message}`);
  }
}

/** A JMESPath result as a list of items: a list as it is, a single value as one item, null as none. */
export function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : value === null || value === undefined ? [] : [value];
}
