import { RejectedRequestError, ResourceNotFoundError, TransientDependencyError } from '../ports/errors';

const TRANSIENT_NAMES = new Set([
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'ThrottledException',
  'RequestLimitExceeded',
  'ProvisionedThroughputExceededException',
  'RequestThrottled',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'InternalFailure',
  'InternalServerError',
  'InternalServiceError',
  'InternalErrorException',
  // Auto Scaling's pending-update contention: the SDK names it after the model's shape, the
  // answer's code is the other (a 500 either way, transient by its status alone).
  'ResourceContentionFault',
  'ResourceContention',
  // UpdateAutoScalingGroup's "can't be performed because there are scaling activities in
  // progress" (a 400): it clears once the launches or terminations end, so the next tick's run
  // may act, as the rolling update's workflow retries it (`SCALING_ACTIVITY_IN_PROGRESS`).
  'ScalingActivityInProgressFault',
  'ScalingActivityInProgress',
  'TimeoutError',
  'RequestTimeout',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EAI_AGAIN',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

// Answers that the request was not acted on (throttled, or a conflicting update pending:
// Auto Scaling's ResourceContention; scaling activities in progress), unlike a timeout, whose
// outcome is unknown; refused only as a 4xx (ResourceContention comes as a 500, so it is not).
const REFUSED_NAMES =
  /Throttl|TooManyRequests|LimitExceeded|ThroughputExceeded|ResourceContention|ScalingActivityInProgress/;

const NOT_FOUND_NAMES = new Set([
  'ResourceNotFoundException',
  'ParameterNotFound',
  'NotFoundException',
  'ExecutionDoesNotExist',
]);

/**
 * Translates an SDK error into a port error so nothing above the adapters knows AWS exception
 * names: throttling, 5xx and timeouts become `TransientDependencyError` (`refused` when the
 * answer says the request was not acted on: throttling, contention), missing resources
 * `ResourceNotFoundError`, anything else with a 4xx `RejectedRequestError`.
 */
export function translateAwsError(
  error: unknown,
  dependency: string,
  operation: string,
  resource?: { type: string; id: string },
): Error {
  if (
    error instanceof TransientDependencyError ||
    error instanceof RejectedRequestError ||
    error instanceof ResourceNotFoundError
  ) {
    return error;
  }
  const e = error as {
    name?: string;
    message?: string;
    $metadata?: { httpStatusCode?: number; attempts?: number };
    code?: string;
  };
  const name = e?.name ?? e?.code ?? 'UnknownError';
  const status = e?.$metadata?.httpStatusCode;
  // Only AWS's own 4xx answer to the only attempt proves the request had no effect: the SDK's
  // retries report the last attempt's error, and an earlier one may have landed with its answer
  // lost; a lost connection carries no HTTP status, a 5xx leaves the outcome unknown, and a 200
  // whose body could not be read (the SDK keeps its status) landed.
  const answeredOnce =
    status !== undefined && status >= 400 && status < 500 && (e.$metadata?.attempts ?? 1) <= 1;
  if (
    TRANSIENT_NAMES.has(name) ||
    (e?.code !== undefined && TRANSIENT_NAMES.has(e.code)) ||
    status === 429 ||
    (status !== undefined && status >= 500)
  ) {
    const refused = answeredOnce && (status === 429 || REFUSED_NAMES.test(name));
    return new TransientDependencyError(dependency, operation, { cause: error, refused });
  }
  if (NOT_FOUND_NAMES.has(name) && resource) {
    return new ResourceNotFoundError(resource.type, resource.id, { cause: error });
  }
  return new RejectedRequestError(dependency, operation, `${name}: ${e?.message ?? 'no message'}`, {
    cause: error,
    refused: answeredOnce,
  });
}
