// `request.robots: ignore` is allowed, but it is a decision a reviewer should
// see: a warning, with the site's terms as the thing to check.
import type { Collector } from '../generated/collector.types.ts';
import type { Issue } from '../issue.ts';

export function lintRobots(c: Collector): Issue[] {
  if (c.request?.robots !== 'ignore') return [];
  return [
    {
      path: ['request', 'robots'],
      severity: 'warning',
      message: 'robots.txt is ignored: pages it disallows are fetched, and its Crawl-delay is not honoured',
      hint: "keep it only where the site's terms allow collecting those pages; remove it to obey robots.txt (the default)",
    },
  ];
}
