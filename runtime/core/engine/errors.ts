/** A task that should be tried again later (SQS redelivery, or the local driver's retry). */
export class RetryableTaskError extends Error {
  override readonly name = 'RetryableTaskError';
  constructor(
    message: string,
    readonly url: string,
    override readonly cause?: unknown,
  ) {
    super(message);
  }
}

export function errorName(err: unknown): string {
  return err instanceof Error ? err.name : 'Error';
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
