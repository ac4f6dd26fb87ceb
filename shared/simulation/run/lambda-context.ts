import type { Context } from 'aws-lambda';

/** The account the simulation deploys to (the same as the deployment checks' test account). */
const ACCOUNT = '123456789012';

/**
 * The Lambda context a simulated invocation hands a real handler: the deployed function's name
 * and ARN, and a request id the caller makes unique (Powertools logs and metrics read both).
 */
export function simulatedLambdaContext(functionName: string, requestId: string): Context {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: '2024/01/01/[$LATEST]simulation',
    getRemainingTimeInMillis: () => 60_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
