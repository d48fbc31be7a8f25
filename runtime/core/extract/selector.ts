// CSS selectors compiled once per collector, not once per item and field as `$(el).find(sel)`
// would (css-what parse + css-select compile every call).
//
// Item-relative selectors follow cheerio's `.find()`: "h3 a" means an h3 inside the item. css-select
// binds `:scope` to a context array at compile time and reads its first slot on every test
// (its own `:has` relies on this), so one compiled query serves every item: the slot is set to
// the item just before the query runs. Queries are synchronous, so the slot cannot be raced.
//
// jQuery's positional pseudos (:first, :eq(n), ...) exist only in cheerio-select, which needs the
// whole match set; those selectors keep going through cheerio at run time.

import type { CheerioAPI } from 'cheerio/slim';
import { compile, selectAll, selectOne } from 'css-select';
import { parse, type Selector } from 'css-what';
import { Element, type AnyNode } from 'domhandler';

export interface CompiledSelector {
  readonly source: string;
  /** First match inside `scope` (descendants only), in document order. */
  one(scope: AnyNode, $: CheerioAPI): Element | null;
  /** Every match inside `scope`, in document order. */
  all(scope: AnyNode, $: CheerioAPI): Element[];
}

const POSITIONAL = new Set(['first', 'last', 'eq', 'gt', 'nth', 'lt', 'even', 'odd']);

function hasPositional(groups: Selector[][]): boolean {
  return groups.some((group) =>
    group.some((t) => t.type === 'pseudo' && (POSITIONAL.has(t.name) || (Array.isArray(t.data) && hasPositional(t.data)))),
  );
}

/**
 * `scoped`: matches are relative to an element given at run time (an item or a nested field's
 * element). Unscoped selectors are absolute within the document (items, page-level fields).
 * Throws on a selector that does not compile.
 */
export function compileSelector(source: string, scoped: boolean): CompiledSelector {
  const groups = parse(source);
  if (hasPositional(groups)) return viaCheerio(source);
  if (!scoped) {
    const query = compile<AnyNode, Element>(groups, { xmlMode: false });
    return {
      source,
      one: (scope) => selectOne<AnyNode, Element>(query, scope),
      all: (scope) => selectAll<AnyNode, Element>(query, scope),
    };
  }
  // A stand-in scope whose parent is an element, so css-select treats the selector as relative.
  const holder = new Element('scope', {});
  holder.parent = new Element('root', {});
  const context: AnyNode[] = [holder];
  // Result caching would remember answers computed for another item's scope.
  const query = compile<AnyNode, Element>(groups, { xmlMode: false, cacheResults: false }, context);
  return {
    source,
    one(scope) {
      context[0] = scope;
      return selectOne<AnyNode, Element>(query, scope);
    },
    all(scope) {
      context[0] = scope;
      return selectAll<AnyNode, Element>(query, scope);
    },
  };
}

function viaCheerio(source: string): CompiledSelector {
  return {
    source,
    one: (scope, $) => ($(scope).find(source)[0] as Element | undefined) ?? null,
    all: (scope, $) => $(scope).find(source).toArray() as Element[],
  };
}
