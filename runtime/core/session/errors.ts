// How a session fails, each error saying what to check. Both are fetch errors
// of the page that needed the session: the engine reports them for that page,
// and retries the task only when trying again could help.
import { FetchError } from '../fetch/errors.ts';

/** A login step failed: its request, or a value it should have taken. Retryable when its request was (a network error, a 503). */
export class LoginError extends FetchError {
  override readonly name = 'LoginError';
  readonly retryable: boolean;
  readonly status: number | undefined;

  constructor(message: string, url: string, options: { retryable?: boolean; status?: number; cause?: unknown } = {}) {
    super(message, url, options.cause === undefined ? undefined : { cause: options.cause });
    this.retryable = options.retryable ?? false;
    this.status = options.status;
  }
}

/** A page still showed an expired session after a new login. */
export class SessionExpiredError extends FetchError {
  override readonly name = 'SessionExpiredError';
  readonly retryable = false;
}
