// Where a field starts reading, when not at its item: the whole page (`from: page`), the
// nearest ancestor that matches (`closest`), the nearest earlier or later sibling that matches
// (`previous`, `next`). The steps run in that order; `selector` then selects inside the element
// they end at. A step that finds nothing gives the field no value.

import { isTag, type AnyNode, type Element } from 'domhandler';
import type { FieldSpec } from './field-spec.ts';
import { firstOf, lastOf } from './item-group.ts';
import type { Env } from './record.ts';
import type { CompiledSelector } from './selector.ts';

export type ScopeStep = (scope: AnyNode, env: Env) => AnyNode | null;

/** Undefined when the field reads from its item as usual. */
export function compileScopeStep(spec: FieldSpec, sel: (source: string, what: string) => CompiledSelector): ScopeStep | undefined {
  const steps: ScopeStep[] = [];
  if (spec.from === 'page') steps.push((_scope, env) => env.$!.root()[0]!);
  if (spec.closest !== undefined) {
    const s = sel(spec.closest, 'closest');
    steps.push((scope) => closest(firstOf(scope), s));
  }
  if (spec.previous !== undefined) {
    const s = sel(spec.previous, 'previous');
    steps.push((scope) => sibling(firstOf(scope), s, 'prev'));
  }
  if (spec.next !== undefined) {
    const s = sel(spec.next, 'next');
    steps.push((scope) => sibling(lastOf(scope), s, 'next'));
  }
  if (steps.length === 0) return undefined;
  return (scope, env) => {
    let at: AnyNode | null = scope;
    for (const step of steps) {
      at = step(at, env);
      if (at === null) return null;
    }
    return at;
  };
}

/** The node itself or its nearest ancestor that matches, like Element.closest(). */
function closest(node: AnyNode, s: CompiledSelector): Element | null {
  for (let n: AnyNode | null = node; n !== null; n = n.parent) if (isTag(n) && s.matches(n)) return n;
  return null;
}

function sibling(node: AnyNode, s: CompiledSelector, way: 'prev' | 'next'): Element | null {
  for (let n = node[way]; n !== null; n = n[way]) if (isTag(n) && s.matches(n)) return n;
  return null;
}
