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

// The start of the plain Error the SDK's endpoint discovery throws when DescribeEndpoints fails
// (@aws-sdk/middleware-endpoint-discovery), DescribeEndpoints' own error on its `reason`.
export const DISCOVERY_FAILED = 'The operation to discover endpoint failed';

// The IAM service prefix of each dependency whose SDK client discovers its endpoint.
const IAM_PREFIX: Readonly<Record<string, string>> = { Timestream: 'timestream' };
const DENIED_NAMES = /AccessDenied|NotAuthorized|Unauthorized/;

/** DescribeEndpoints' own error, when `error` is the SDK's endpoint discovery failing. */
function discoveryFailureReason(error: unknown): unknown {
  if (!(error instanceof Error) || !error.message.startsWith(DISCOVERY_FAILED)) return undefined;
  return (error as { reason?: unknown }).reason;
}

/**
 * Translates an SDK error into a port error so nothing above the adapters knows AWS exception
 * names: throttling, 5xx and timeouts become `TransientDependencyError` (`refused` when the
 * answer says the request was not acted on: throttling, contention), missing resources
 * `ResourceNotFoundError`, anything else with a 4xx `RejectedRequestError`. A failed endpoint
 * discovery (the SDK's DescribeEndpoints before `operation`) is translated by DescribeEndpoints'
 * own error, as a failure of DescribeEndpoints; the SDK's error stays the `cause`.
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
  const reason = discoveryFailureReason(error);
  if (reason !== undefined) {
    const prefix = IAM_PREFIX[dependency];
    const action = prefix ? `${prefix}:DescribeEndpoints` : `DescribeEndpoints on ${dependency}`;
    const denied = DENIED_NAMES.test((reason as { name?: string })?.name ?? '');
    // Not the SDK's advice to set a custom endpoint: Prescale has no setting for one.
    return classify(reason, dependency, 'DescribeEndpoints', undefined, {
      cause: error,
      rejectionNote: `(the SDK discovers the endpoint for ${operation} with it${denied ? `; the role needs ${action}` : ''})`,
    });
  }
  return classify(error, dependency, operation, resource, { cause: error });
}

function classify(
  error: unknown,
  dependency: string,
  operation: string,
  resource: { type: string; id: string } | undefined,
  options: { cause: unknown; rejectionNote?: string },
): Error {
  const { cause } = options;
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
    return new TransientDependencyError(dependency, operation, { cause, refused });
  }
  if (NOT_FOUND_NAMES.has(name) && resource) {
    return new ResourceNotFoundError(resource.type, resource.id, { cause });
  }
  const note = options.rejectionNote ? ` ${options.rejectionNote}` : '';
  return new RejectedRequestError(dependency, operation, `${name}: ${e?.message ?? 'no message'}${note}`, {
    cause,
    refused: answeredOnce,
  });
}
