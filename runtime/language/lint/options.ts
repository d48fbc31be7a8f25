// Options that come in sets of which exactly one (or at most one) may be given,
// which the schema cannot say with a clear message. (A pagination strategy
// checks its own sets: runtime/core/paginate/.)
import type { Collector } from '../generated/collector.types.ts';
import type { Issue } from '../issue.ts';
import { eachFollow } from './walk.ts';

export function lintOptionSets(c: Collector): Issue[] {
  const issues: Issue[] = [];
  for (const { follow, path } of eachFollow(c)) {
    if (follow.field === undefined && follow.selector === undefined) {
      issues.push({
        path,
        at: 'container',
        message: 'follow needs field or selector',
        hint: 'field: a record field holding the link; selector: an element inside the item',
      });
    } else if (follow.field !== undefined && follow.selector !== undefined) {
      issues.push({ path: [...path, 'selector'], at: 'key', message: 'set only one of field and selector' });
    }
    if (follow.attribute !== undefined && follow.selector === undefined) {
      issues.push({ path: [...path, 'attribute'], at: 'key', message: '"attribute" applies only with "selector"', hint: 'remove it' });
    }
  }
  return issues;
}
