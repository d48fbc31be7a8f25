// Options that come in sets of which exactly one (or at most one) may be given,
// which the schema cannot say with a clear message.
import type { Collector } from '../generated/collector.types.ts';
import type { Issue } from '../issue.ts';
import { eachFollow } from './walk.ts';

export function lintOptionSets(c: Collector): Issue[] {
  const issues: Issue[] = [];
  const p = c.paginate;
  if (p?.type === 'next-link') {
    const given = [p.selector !== undefined && 'selector', p.path !== undefined && 'path', p.linkHeader === true && 'linkHeader'].filter((g): g is string => g !== false);
    if (given.length === 0) {
      issues.push({ path: ['paginate'], at: 'container', message: 'next-link pagination needs one of selector, path or linkHeader', hint: 'selector for HTML, path for JSON, linkHeader: true for a Link header' });
    } else if (given.length > 1) {
      issues.push({ path: ['paginate', given[1]!], at: 'key', message: `set only one of selector, path and linkHeader; found ${given.join(', ')}` });
    }
  }
  if (p?.type === 'cursor') {
    const hasPath = p.tokenPath !== undefined;
    const hasHeader = p.tokenHeader !== undefined;
    if (!hasPath && !hasHeader) {
      issues.push({ path: ['paginate'], at: 'container', message: 'cursor pagination needs tokenPath or tokenHeader', hint: 'tokenPath: a JMESPath to the next token; tokenHeader: a response header' });
    } else if (hasPath && hasHeader) {
      issues.push({ path: ['paginate', 'tokenHeader'], at: 'key', message: 'set only one of tokenPath and tokenHeader' });
    }
  }
  for (const { follow, path } of eachFollow(c)) {
    if (follow.field === undefined && follow.selector === undefined) {
      issues.push({ path, at: 'container', message: 'follow needs field or selector', hint: 'field: a record field holding the link; selector: an element inside the item' });
    } else if (follow.field !== undefined && follow.selector !== undefined) {
      issues.push({ path: [...path, 'selector'], at: 'key', message: 'set only one of field and selector' });
    }
    if (follow.attribute !== undefined && follow.selector === undefined) {
      issues.push({ path: [...path, 'attribute'], at: 'key', message: '"attribute" applies only with "selector"', hint: 'remove it' });
    }
  }
  return issues;
}
