// Compile-time checks for the validator: each returns an error message, or undefined when fine.
// They use the same compilers as extraction, so what passes here compiles at run time.

import { load } from 'cheerio/slim';
import { compileJmesPath } from './jmespath.ts';
import { compileRegex } from './regex.ts';
import { compileSelector } from './selector.ts';
import { compileXPath } from './xpath.ts';

let probe: ReturnType<typeof load> | undefined;

export function checkSelector(selector: string): string | undefined {
  if (selector.trim() === '') return 'empty CSS selector';
  try {
    const compiled = compileSelector(selector, true);
    compileSelector(selector, false);
    // Positional pseudos (:eq(1)) are compiled by cheerio only when run, so run them once.
    probe ??= load('<div><p><a></a></p></div>');
    compiled.all(probe.root()[0]!, probe);
    return undefined;
  } catch (e) {
    return `invalid CSS selector ${JSON.stringify(selector)}: ${(e as Error).message}`;
  }
}

export function checkJmesPath(expression: string): string | undefined {
  if (expression.trim() === '') return 'empty JMESPath expression';
  try {
    compileJmesPath(expression);
    return undefined;
  } catch (e) {
    return `invalid JMESPath ${JSON.stringify(expression)}: ${(e as Error).message}`;
  }
}

export function checkRegex(pattern: string): string | undefined {
  try {
    compileRegex(pattern);
    return undefined;
  } catch (e) {
    return `invalid regex ${JSON.stringify(pattern)}: ${(e as Error).message}`;
  }
}

export function checkXPath(expression: string): string | undefined {
  if (expression.trim() === '') return 'empty XPath expression';
  try {
    compileXPath(expression);
    return undefined;
  } catch (e) {
    return `invalid XPath ${JSON.stringify(expression)}: ${(e as Error).message}`;
  }
}
