// JMESPath expressions parsed once; evaluation walks the compiled tree.

import { compile, TreeInterpreter, type JSONValue } from '@jmespath-community/jmespath';

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
