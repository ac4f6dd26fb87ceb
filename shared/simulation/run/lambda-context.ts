import type { Context } from 'aws-lambda';
import { DEFAULT_FUNCTION_MEMORY_MB } from '../../contracts/function-timeouts';

/** The account the simulation deploys to (the same as the deployment checks' test account). */
const ACCOUNT = '123456789012';

/** The time an invocation has, as the deployed function has it. */
export interface SimulatedInvocationTime {
  /** The deployed function's timeout. */
  readonly timeoutSeconds: number;
  /** The simulated clock the invocation runs on. */
  readonly nowMs: () => number;
  /** The deployed function's memory (`PrescaleFunction`'s default, 512 MB, where not given). */
  readonly memoryMB?: number;
}

/**
 * The Lambda context a simulated invocation hands a real handler: the deployed function's name
 * and ARN, and a request id the caller makes unique (Powertools logs and metrics read both).
 *
 * Its remaining time is the deployed timeout less the *simulated* time since the invocation
 * started: a handler runs in no simulated time, so it always has its whole timeout. The machine
 * running the simulation is not the Lambda being simulated; a remaining time on the wall clock
 * would make a run's outcome depend on how busy that machine was (middy's early timeout arms a
 * timer of exactly this length).
 */
export function simulatedLambdaContext(
  functionName: string,
  requestId: string,
  time: SimulatedInvocationTime,
): Context {
  const deadlineMs = time.nowMs() + time.timeoutSeconds * 1000;
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:${functionName}`,
    memoryLimitInMB: String(time.memoryMB ?? DEFAULT_FUNCTION_MEMORY_MB),
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: '2024/01/01/[$LATEST]simulation',
    getRemainingTimeInMillis: () => Math.max(0, deadlineMs - time.nowMs()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
