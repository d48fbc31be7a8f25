// An item made of sibling elements (`itemUntil`, `itemSiblings`): a row and the detail rows
// after it, a <dt> and its <dd>s. The group is a stand-in element whose children are the
// members; the members keep their real parents, so the document is not changed and selectors
// still see each member's real ancestors. Selectors recognise a group (selector.ts) and select
// in each member and below; text and inner HTML of a group are those of its members in order.

import { Element, isTag, type AnyNode } from 'domhandler';

const groups = new WeakSet<AnyNode>();

function groupOf(members: Element[]): Element {
  // The first member's attributes stand for the group's (`attr` without a selector).
  const group = new Element('item-group', members[0]!.attribs, members);
  groups.add(group);
  return group;
}

/** The members of an item group, or undefined when `node` is an ordinary node. */
export function membersOf(node: AnyNode): readonly Element[] | undefined {
  return groups.has(node) ? ((node as Element).children as Element[]) : undefined;
}

/** The node a relative walk (closest, previous) starts from: a group's first member. */
export function firstOf(node: AnyNode): AnyNode {
  return membersOf(node)?.[0] ?? node;
}

/** The node a forward walk (next) starts from: a group's last member. */
export function lastOf(node: AnyNode): AnyNode {
  const members = membersOf(node);
  return members ? members[members.length - 1]! : node;
}

export interface GroupRule {
  /** A sibling matching this (a compiled `itemUntil`) ends the item before it. */
  until?: { matches(el: Element): boolean };
  /** At most this many siblings after the matched element. */
  siblings?: number;
}

/**
 * Each matched element with the element siblings after it, up to the next match, a sibling
 * matching `until`, `siblings` of them, or the end of the parent. Text and comments between
 * them are not members.
 */
export function itemGroups(matches: readonly Element[], rule: GroupRule): Element[] {
  const starts = new Set<AnyNode>(matches);
  const max = rule.siblings ?? Number.POSITIVE_INFINITY;
  return matches.map((first) => {
    const members: Element[] = [first];
    for (let n = first.next; n !== null && members.length - 1 < max; n = n.next) {
      if (!isTag(n)) continue;
      if (starts.has(n) || rule.until?.matches(n)) break;
      members.push(n);
    }
    return groupOf(members);
  });
}
