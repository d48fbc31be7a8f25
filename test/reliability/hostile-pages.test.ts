// Hostile pages through real local runs: pages nested 100,000 levels deep (HTML
// and JSON), a page with more items than limits.maxItemsPerPage, a next link for
// ever and a page-number pagination announcing ten million pages under
// limits.maxPages, and one page of 100,000 detail links in a 256 MB heap. Each
// ends as promised. Scenario in hostile-pages.ts.
import { beforeAll, describe, expect, it } from 'vitest';
import { FAN_OUT, MAX_PAGES, runHostilePages, type HostilePageKind, type HostilePagesReport } from './hostile-pages.ts';

let report: HostilePagesReport;
beforeAll(async () => {
  report = await runHostilePages();
});

const KINDS: readonly HostilePageKind[] = ['nesting-html', 'nesting-json', 'items', 'next-link', 'page-number', 'fan-out'];

describe('hostile pages', () => {
  it.each(KINDS)('holds against every %s attack', (kind) => {
    const attacks = report.attacks.filter((a) => a.attack === kind);
    expect(attacks.length).toBeGreaterThan(0);
    expect(attacks.filter((a) => !a.held).map((a) => `${a.tried}: ${a.problems.join('; ')}`)).toEqual([]);
    expect(attacks.every((a) => a.held === (a.problems.length === 0))).toBe(true);
  });

  it('tries each attack it names, and the site sees only the pages the ceilings allow', () => {
    expect(report.attacks.map((a) => a.attack)).toEqual([
      'nesting-html',
      'nesting-html',
      'items',
      'items',
      'nesting-html',
      'nesting-json',
      'nesting-json',
      'items',
      'items',
      'nesting-json',
      'next-link',
      'next-link',
      'page-number',
      'fan-out',
    ]);
    // 6 + 6 pages of the nesting runs, once each; 2 x 50 of next-link, 50 of page-number, the fan-out page and its details.
    expect(report.requests).toBe(6 + 6 + 2 * MAX_PAGES + MAX_PAGES + 1 + FAN_OUT);
  });
});
