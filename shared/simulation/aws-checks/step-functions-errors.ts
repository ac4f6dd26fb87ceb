/** The error prefix Step Functions gives each integration's service errors (`AutoScaling.…`). */
export const STEP_FUNCTIONS_ERROR_PREFIX: Readonly<Record<string, string>> = {
  autoscaling: 'AutoScaling',
  dynamodb: 'DynamoDB',
  sns: 'SNS',
  lambda: 'Lambda',
};

/**
 * The name each integration gives a service error its service's model does not declare: the
 * AWS SDK integration `<Service>.<Service>Exception`; the optimized DynamoDB and Lambda
 * integrations their Java client's base exception (`Lambda.AWSLambdaException` with "Error Code:
 * AccessDeniedException" in the Cause, as Step Functions reports a role that may not invoke a
 * function; `DynamoDB.AmazonDynamoDBException` for a `ValidationException`).
 */
const GENERIC_EXCEPTION: Readonly<Record<string, string>> = {
  autoscaling: 'AutoScaling.AutoScalingException',
  dynamodb: 'DynamoDB.AmazonDynamoDBException',
  lambda: 'Lambda.AWSLambdaException',
};

/**
 * AWS's common errors (https://docs.aws.amazon.com/autoscaling/ec2/APIReference/CommonErrors.html)
 * by the services whose API models do not declare them (the Auto Scaling model declares no
 * `AccessDenied`, the DynamoDB and Lambda models no `AccessDeniedException`, the DynamoDB model no
 * `ValidationException`): Step Functions reports them as the service's generic exception
 * (`AutoScaling.AutoScalingException`), as infra's `AUTO_SCALING_TRANSIENT` relies on.
 */
const UNDECLARED_COMMON_ERRORS: Readonly<Record<string, ReadonlySet<string>>> = {
  autoscaling: new Set([
    'AccessDenied',
    'ValidationError',
    'Throttling',
    'ThrottlingException',
    'ServiceUnavailable',
    'InternalFailure',
    'RequestExpired',
  ]),
  dynamodb: new Set(['AccessDeniedException', 'ValidationException']),
  lambda: new Set(['AccessDeniedException']),
};

/**
 * The `Error` a Step Functions AWS SDK integration raises for a service error with code `code`:
 * `<Service>.<Name>Exception`, the suffix added when the code lacks it and a model's `Fault`
 * suffix dropped (`InstanceRefreshInProgress` → `AutoScaling.InstanceRefreshInProgressException`,
 * https://docs.aws.amazon.com/step-functions/latest/dg/supported-services-awssdk.html#use-awssdk-integ-errors);
 * a common error the service's model does not declare → the service's generic exception
 * (`GENERIC_EXCEPTION`).
 */
export function stepFunctionsErrorName(service: string, code: string): string {
  const prefix = STEP_FUNCTIONS_ERROR_PREFIX[service] ?? service;
  const generic = GENERIC_EXCEPTION[service];
  if (generic && UNDECLARED_COMMON_ERRORS[service]?.has(code)) return generic;
  return `${prefix}.${code.replace(/(Fault|Exception)$/, '')}Exception`;
}
