// Pagination reads the same few selectors and expressions on every page of a run; they are
// compiled on first use and kept. Bounded in case a caller builds expressions dynamically.

import { compileJmesPath, type JsonQuery } from './jmespath.ts';
import { compileSelector, type CompiledSelector } from './selector.ts';

const LIMIT = 256;
const selectors = new Map<string, CompiledSelector>();
const queries = new Map<string, JsonQuery>();

function cached<T>(cache: Map<string, T>, key: string, make: (key: string) => T): T {
  let hit = cache.get(key);
  if (hit === undefined) {
    if (cache.size >= LIMIT) cache.clear();
    hit = make(key);
    cache.set(key, hit);
  }
  return hit;
}

/** Document-wide (unscoped) selector; `xml` for XML pages (case-sensitive names). Throws on an invalid selector. */
export function linkSelector(selector: string, xml = false): CompiledSelector {
  return cached(selectors, `${xml ? 'xml' : 'html'}:${selector}`, (key) => compileSelector(key.slice(key.indexOf(':') + 1), false, xml));
}

/** Throws on an invalid expression. */
export function jsonQuery(expression: string): JsonQuery {
  return cached(queries, expression, compileJmesPath);
}
