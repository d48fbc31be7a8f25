// CSS selectors compiled once per collector, not once per item and field as `$(el).find(sel)`
// would (css-what parse + css-select compile every call).
//
// Item-relative selectors follow cheerio's `.find()`: "h3 a" means an h3 inside the item. css-select
// binds `:scope` to a context array at compile time and reads its first slot on every test
// (its own `:has` relies on this), so one compiled query serves every item: the slot is set to
// the item just before the query runs. Queries are synchronous, so the slot cannot be raced.
//
// An item made of sibling elements (item-group.ts) is searched member by member: a member that
// matches is a result, and so is a match inside it; there the selector may name the members
// themselves ("tr.details td"), since it is matched against each element's real ancestors.
//
// jQuery's positional pseudos (:first, :eq(n), ...) exist only in cheerio-select, which needs the
// whole match set; those selectors keep going through cheerio at run time.
//
// XML documents are matched case-sensitively (`pubDate`), as css-select does in XML mode.

import { load, type CheerioAPI } from 'cheerio/slim';
import { compile, is, selectAll, selectOne } from 'css-select';
import { parse, type Selector } from 'css-what';
import { Element, type AnyNode } from 'domhandler';
import { membersOf } from './item-group.ts';

export interface CompiledSelector {
  readonly source: string;
  /** First match inside `scope` (descendants only; each member and below for an item group), in document order. */
  one(scope: AnyNode, $: CheerioAPI): Element | null;
  /** Every match inside `scope`, in document order. */
  all(scope: AnyNode, $: CheerioAPI): Element[];
  /** Whether the element itself matches (the selector read as absolute). */
  matches(el: Element): boolean;
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
 * `xml`: the document is XML (names are case-sensitive). Throws on a selector that does not compile.
 */
export function compileSelector(source: string, scoped: boolean, xml = false): CompiledSelector {
  // css-select lower-cases names in the parsed tokens it is given, so each compile gets its own parse.
  if (hasPositional(parse(source))) return viaCheerio(source);
  const options = { xmlMode: xml };
  const absolute = compile<AnyNode, Element>(parse(source), options);
  const matches = (el: Element) => is<AnyNode, Element>(el, absolute, options);
  const inGroup = (members: readonly Element[]): Element[] => {
    const out: Element[] = [];
    for (const m of members) {
      if (matches(m)) out.push(m);
      for (const el of selectAll<AnyNode, Element>(absolute, m, options)) out.push(el);
    }
    return out;
  };
  if (!scoped) {
    return {
      source,
      one: (scope) => {
        const members = membersOf(scope);
        return members ? (inGroup(members)[0] ?? null) : selectOne<AnyNode, Element>(absolute, scope, options);
      },
      all: (scope) => {
        const members = membersOf(scope);
        return members ? inGroup(members) : selectAll<AnyNode, Element>(absolute, scope, options);
      },
      matches,
    };
  }
  // A stand-in scope whose parent is an element, so css-select treats the selector as relative.
  const holder = new Element('scope', {});
  holder.parent = new Element('root', {});
  const context: AnyNode[] = [holder];
  // Result caching would remember answers computed for another item's scope.
  const query = compile<AnyNode, Element>(parse(source), { ...options, cacheResults: false }, context);
  return {
    source,
    one(scope) {
      const members = membersOf(scope);
      if (members) return inGroup(members)[0] ?? null;
      context[0] = scope;
      return selectOne<AnyNode, Element>(query, scope, options);
    },
    all(scope) {
      const members = membersOf(scope);
      if (members) return inGroup(members);
      context[0] = scope;
      return selectAll<AnyNode, Element>(query, scope, options);
    },
    matches,
  };
}

function viaCheerio(source: string): CompiledSelector {
  const all = (scope: AnyNode, $: CheerioAPI): Element[] => {
    const members = membersOf(scope);
    if (!members) return $(scope).find(source).toArray() as Element[];
    // Positions count within each member here, not across the group.
    return members.flatMap((m) => [...($(m).is(source) ? [m] : []), ...($(m).find(source).toArray() as Element[])]);
  };
  return {
    source,
    one: (scope, $) => all(scope, $)[0] ?? null,
    all,
    // Asked of `itemUntil` only, never per field: any cheerio instance can wrap the element.
    matches: (el) => wrapper()(el).is(source),
  };
}

let cheerioWrapper: CheerioAPI | undefined;
function wrapper(): CheerioAPI {
  cheerioWrapper ??= load('');
  return cheerioWrapper;
}
