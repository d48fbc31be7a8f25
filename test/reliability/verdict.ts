// The shape every reliability scenario reports in: one case per promise tried,
// with the problems found (none when the promise held). Tests assert that each
// case has no problem; the figures script counts them.
export interface CaseResult {
  /** What was tried, e.g. "detail: gzip bomb". */
  name: string;
  /** Empty when the runtime kept its promise. */
  problems: string[];
}

export function held(cases: readonly CaseResult[]): number {
  return cases.filter((c) => c.problems.length === 0).length;
}

/** Problems of every case, prefixed with the case's name; empty when all held. */
export function allProblems(cases: readonly CaseResult[]): string[] {
  return cases.flatMap((c) => c.problems.map((p) => `${c.name}: ${p}`));
}

/** Collects problems for one case: `check(condition, message)` records the message when the condition fails. */
export function caseChecker(name: string): { result: CaseResult; check(ok: boolean, message: string): void } {
  const result: CaseResult = { name, problems: [] };
  return { result, check: (ok, message) => void (ok || result.problems.push(message)) };
}

/** Records lost and written twice, comparing the keys found with the keys expected. */
export function tally(expected: readonly string[], found: readonly string[]): { lost: string[]; duplicates: string[] } {
  const counts = new Map<string, number>();
  for (const key of found) counts.set(key, (counts.get(key) ?? 0) + 1);
  return {
    lost: expected.filter((k) => !counts.has(k)),
    duplicates: [...counts].filter(([, n]) => n > 1).map(([k]) => k),
  };
}
