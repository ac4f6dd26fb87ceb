/**
 * A dependency failed in a way that may pass (throttling, 5xx, timeout). Adapters translate SDK
 * errors into this so nothing above them knows an AWS exception name; callers retry or defer.
 */
export class TransientDependencyError extends Error {
  override readonly name = 'TransientDependencyError' as const;
  /**
   * True when the dependency answered the request's only attempt that it did not act on it
   * (throttled, or busy with a conflicting update), so it had no effect; false when its outcome is
   * unknown (a timeout, a lost connection, a server error, or any answer after a retry: an earlier
   * attempt may have landed): the request may have taken effect.
   */
  readonly refused: boolean;
  constructor(
    readonly dependency: string,
    readonly operation: string,
    options?: { cause?: unknown; refused?: boolean },
  ) {
    super(`${dependency} ${operation} failed transiently; retry later`, options);
    this.refused = options?.refused ?? false;
  }
}

/** A named resource does not exist (a deleted group, a missing launch template version). */
export class ResourceNotFoundError extends Error {
  override readonly name = 'ResourceNotFoundError' as const;
  constructor(
    readonly resourceType: string,
    readonly resourceId: string,
    options?: { cause?: unknown },
  ) {
    super(`${resourceType} ${resourceId} was not found`, options);
  }
}

/** AWS refused a request as invalid or not permitted; retrying the same request will not help. */
export class RejectedRequestError extends Error {
  override readonly name = 'RejectedRequestError' as const;
  constructor(
    readonly dependency: string,
    readonly operation: string,
    readonly reason: string,
    options?: { cause?: unknown; refused?: boolean },
  ) {
    super(`${dependency} ${operation} was rejected: ${reason}`, options);
    this.refused = options?.refused ?? false;
  }
  /**
   * True when AWS answered the request's only attempt with this refusal, so it had no effect;
   * false when the request may have landed (an earlier attempt whose answer was lost) or when the
   * refusal is not AWS's answer (a lost connection, a response that could not be read).
   */
  readonly refused: boolean;
}

/**
 * Whether AWS answered the request's only attempt with a refusal or a throttle (`refused`), so
 * the request had no effect; false when it may have landed (an attempt whose answer was lost).
 */
export function refusedWithoutEffect(
  error: unknown,
): error is RejectedRequestError | TransientDependencyError {
  return (
    (error instanceof RejectedRequestError || error instanceof TransientDependencyError) && error.refused
  );
}
