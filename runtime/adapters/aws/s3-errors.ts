// What the S3 API answered, told apart without depending on the SDK's error classes
// (the same code runs against S3, moto and the SDK built into Lambda).

interface ServiceError {
  name?: string;
  Code?: string;
  $metadata?: { httpStatusCode?: number };
}

function statusOf(err: unknown): number | undefined {
  return (err as ServiceError | null)?.$metadata?.httpStatusCode;
}

function nameOf(err: unknown): string | undefined {
  const e = err as ServiceError | null;
  return e?.name ?? e?.Code;
}

/** The key does not exist (GetObject, HeadObject, or a PutObject with If-Match on a missing key). */
export function isNotFound(err: unknown): boolean {
  const name = nameOf(err);
  return name === 'NoSuchKey' || name === 'NotFound' || statusOf(err) === 404;
}

/**
 * A conditional write lost: 412 when the ETag no longer matches (or the key
 * appeared under If-None-Match), 409 when another conditional write to the same
 * key was in flight. Both mean "someone else got there first".
 */
export function isConditionFailed(err: unknown): boolean {
  const name = nameOf(err);
  const status = statusOf(err);
  return name === 'PreconditionFailed' || name === 'ConditionalRequestConflict' || status === 412 || status === 409;
}
