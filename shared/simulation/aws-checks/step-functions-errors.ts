/** The error prefix Step Functions gives each integration's service errors (`AutoScaling.…`). */
export const STEP_FUNCTIONS_ERROR_PREFIX: Readonly<Record<string, string>> = {
  autoscaling: 'AutoScaling',
  dynamodb: 'DynamoDB',
  sns: 'SNS',
  lambda: 'Lambda',
};

/**
 * AWS's common errors (https://docs.aws.amazon.com/autoscaling/ec2/APIReference/CommonErrors.html)
 * by the services whose API models do not declare them: Step Functions reports them as the
 * service's generic exception (`AutoScaling.AutoScalingException`), as infra's
 * `AUTO_SCALING_TRANSIENT` relies on.
 */
const UNDECLARED_COMMON_ERRORS: Readonly<Record<string, ReadonlySet<string>>> = {
  autoscaling: new Set([
    'ValidationError',
    'Throttling',
    'ThrottlingException',
    'ServiceUnavailable',
    'InternalFailure',
    'RequestExpired',
  ]),
};

/**
 * The `Error` a Step Functions AWS SDK integration raises for a service error with code `code`:
 * `<Service>.<Name>Exception`, the suffix added when the code lacks it and a model's `Fault`
 * suffix dropped (`InstanceRefreshInProgress` → `AutoScaling.InstanceRefreshInProgressException`,
 * https://docs.aws.amazon.com/step-functions/latest/dg/supported-services-awssdk.html#use-awssdk-integ-errors);
 * a common error the service's model does not declare → the service's generic exception.
 */
export function stepFunctionsErrorName(service: string, code: string): string {
  const prefix = STEP_FUNCTIONS_ERROR_PREFIX[service] ?? service;
  if (UNDECLARED_COMMON_ERRORS[service]?.has(code)) return `${prefix}.${prefix}Exception`;
  return `${prefix}.${code.replace(/(Fault|Exception)$/, '')}Exception`;
}
