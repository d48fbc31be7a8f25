// `limits.maxPages`: the pages a run may fetch in all. Every page is taken from
// the driver's PageBudget before it is requested and given back when the
// request fails (so the count matches the pages the stats count). A page the
// budget refuses is not fetched: the task reports it once as a MaxPagesError
// with the ceiling's warning, hands on no follow-up beyond what the budget
// still allows, and so the run ends failed with the warning in its manifest.
// Locally the budget is the run's exact count; on Lambda it is the run's pages
// in the ledger when the task started, less what the task fetched since.

/** A page not fetched because the run reached `limits.maxPages`. */
export class MaxPagesError extends Error {
  override readonly name = 'MaxPagesError';
}

const WARNING_START = 'limits.maxPages reached';

/** The warning of a run that reached its ceiling: the same text from every task, so a manifest lists it once. */
export function maxPagesWarning(maxPages: number): string {
  return `${WARNING_START}: the run may fetch ${maxPages} pages and stopped there; the pages it found beyond them were not collected (raise limits.maxPages if the source really has more)`;
}

export function isMaxPagesWarning(text: string): boolean {
  return text.startsWith(WARNING_START);
}
