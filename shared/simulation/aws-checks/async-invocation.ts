import type { DeployedAccount } from './deployed-account';

/** Lambda's invocation record for an asynchronous invocation that failed every attempt. */
export interface FailedInvocationRecord {
  readonly version: '1.0';
  readonly timestamp: string;
  readonly requestContext: {
    readonly requestId: string;
    readonly functionArn: string;
    readonly condition: 'RetriesExhausted';
    readonly approximateInvokeCount: number;
  };
  readonly requestPayload: unknown;
  readonly responseContext: {
    readonly statusCode: 200;
    readonly executedVersion: '$LATEST';
    readonly functionError: 'Unhandled';
  };
  readonly responsePayload: { readonly errorType: string; readonly errorMessage: string; readonly trace: [] };
}

/** What an asynchronous invocation came to: the handler's answer, or every attempt failing. */
export type AsyncInvocationOutcome =
  | { readonly kind: 'succeeded'; readonly attempts: number; readonly result: unknown }
  | {
      readonly kind: 'failed';
      readonly attempts: number;
      readonly error: Error;
      readonly record: FailedInvocationRecord;
      /** The queue URL of the function's on-failure destination, when it has one. */
      readonly destinationQueueUrl?: string;
    };

/** "By default, Lambda retries an asynchronous invocation twice if the function returns an error." */
const DEFAULT_RETRY_ATTEMPTS = 2;

/**
 * Invokes `handler`'s deployed function asynchronously, as EventBridge and Scheduler invoke their
 * targets: Lambda runs it, and on an error runs it again up to its EventInvokeConfig's
 * `MaximumRetryAttempts` (two by default); when every attempt failed it writes the invocation
 * record ("Capturing records of Lambda asynchronous invocations": `condition`
 * `RetriesExhausted`, the event as `requestPayload`, the error as `responsePayload`) for the
 * on-failure destination. Retries run at once here; Lambda waits between them, which the
 * handlers' outcomes do not depend on.
 */
export async function invokeAsynchronously(
  account: DeployedAccount,
  handler: string,
  event: unknown,
  invoke: () => Promise<unknown>,
  { nowMs, requestId }: { readonly nowMs: number; readonly requestId: string },
): Promise<AsyncInvocationOutcome> {
  const fn = account.functionFor(handler);
  const config = eventInvokeConfig(account, fn.arn);
  const attempts = 1 + (config.retryAttempts ?? DEFAULT_RETRY_ATTEMPTS);
  let error = new Error('not invoked');
  for (let attempt = 1; attempt <= attempts; attempt += 1) {
    try {
      return { kind: 'succeeded', attempts: attempt, result: await invoke() };
    } catch (e) {
      error = e as Error;
    }
  }
  const record: FailedInvocationRecord = {
    version: '1.0',
    timestamp: new Date(nowMs).toISOString(),
    requestContext: {
      requestId,
      functionArn: `${fn.arn}:$LATEST`,
      condition: 'RetriesExhausted',
      approximateInvokeCount: attempts,
    },
    requestPayload: event,
    responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
    responsePayload: { errorType: error.name, errorMessage: error.message, trace: [] },
  };
  const destinationQueueUrl = config.onFailureArn && queueUrlOf(account, config.onFailureArn);
  return { kind: 'failed', attempts, error, record, ...(destinationQueueUrl ? { destinationQueueUrl } : {}) };
}

/** The function's EventInvokeConfig: its retry attempts and on-failure destination, if any. */
function eventInvokeConfig(
  account: DeployedAccount,
  functionArn: string,
): { readonly retryAttempts?: number; readonly onFailureArn?: string } {
  for (const resource of Object.values(account.template.Resources)) {
    if (resource.Type !== 'AWS::Lambda::EventInvokeConfig') continue;
    const p = resource.Properties ?? {};
    const name = account.resolve<string>(p.FunctionName);
    if (name !== functionArn && !functionArn.endsWith(`:function:${name}`)) continue;
    const onFailure = (p.DestinationConfig as { OnFailure?: { Destination?: unknown } } | undefined)
      ?.OnFailure?.Destination;
    return {
      ...(p.MaximumRetryAttempts !== undefined
        ? { retryAttempts: Number(account.resolve(p.MaximumRetryAttempts)) }
        : {}),
      ...(onFailure !== undefined ? { onFailureArn: account.resolve<string>(onFailure) } : {}),
    };
  }
  return {};
}

function queueUrlOf(account: DeployedAccount, arn: string): string | undefined {
  return [...account.queueArns].find(([, queueArn]) => queueArn === arn)?.[0];
}
