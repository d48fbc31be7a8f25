// Hostile sites and hostile specs end to end through the `collect` CLI: cloud
// metadata endpoints in every spelling, allow lists that cover them, outputs and
// values that climb out of their place, a hundred million seeds, a Retry-After
// of a month. Each attack is refused (or waited out) as promised. Scenario in
// hostile-bounds.ts.
import { beforeAll, describe, expect, it } from 'vitest';
import { runHostileBounds, type HostileAttackKind, type HostileBoundsReport } from './hostile-bounds.ts';

let report: HostileBoundsReport;
beforeAll(async () => {
  report = await runHostileBounds();
});

const KINDS: readonly HostileAttackKind[] = ['metadata', 'allow-list', 'output', 'variable', 'sink', 'seeds', 'retry-after', 'delay'];

describe('hostile sites and hostile specs', () => {
  it.each(KINDS)('holds against every %s attack', (kind) => {
    const attacks = report.attacks.filter((a) => a.attack === kind);
    expect(attacks.length).toBeGreaterThan(0);
    expect(attacks.filter((a) => !a.held).map((a) => `${a.tried}: ${a.problems.join('; ')}`)).toEqual([]);
    expect(attacks.every((a) => a.held === (a.problems.length === 0))).toBe(true);
  });

  it('tries every metadata spelling, name and redirect, and reaches the site only for what it serves', () => {
    expect(report.attacks.filter((a) => a.attack === 'metadata').length).toBe(21);
    // The metadata run's healthy page and 3 redirects, and 3 deliveries of 3 tries of each of the 2 Retry-After pages;
    // robots.txt once in each of the 2 runs.
    expect(report.requests).toBe(1 + 3 + 2 * 9 + 2);
  });
});
