import type { Severity } from '../diagnostic.ts';

/** What a check says about one value; the rule that called it knows where the value is. */
export interface Problem {
  message: string;
  hint?: string;
  severity?: Severity;
}
