import { AUTO_SCALING_TRANSIENT } from '../../../../infra/constructs/rolling-update/workflow-tasks';
import { stepFunctionsErrorName } from '../../../../shared/simulation/aws-checks/step-functions-errors';

describe('stepFunctionsErrorName', () => {
  it.each([
    ['autoscaling', 'InstanceRefreshInProgress', 'AutoScaling.InstanceRefreshInProgressException'],
    ['autoscaling', 'ActiveInstanceRefreshNotFound', 'AutoScaling.ActiveInstanceRefreshNotFoundException'],
    ['autoscaling', 'ResourceContentionFault', 'AutoScaling.ResourceContentionException'],
    ['dynamodb', 'ConditionalCheckFailedException', 'DynamoDB.ConditionalCheckFailedException'],
  ])('names a declared %s error %s as %s', (service, code, name) => {
    expect(stepFunctionsErrorName(service, code)).toBe(name);
  });

  it.each(['ValidationError', 'Throttling', 'ServiceUnavailable', 'InternalFailure'])(
    'names the common error %s, which the Auto Scaling model does not declare, as the generic exception',
    (code) => {
      expect(stepFunctionsErrorName('autoscaling', code)).toBe('AutoScaling.AutoScalingException');
    },
  );

  it.each([
    ['autoscaling', 'AccessDenied', 'AutoScaling.AutoScalingException'],
    ['dynamodb', 'AccessDeniedException', 'DynamoDB.AmazonDynamoDBException'],
    ['dynamodb', 'ValidationException', 'DynamoDB.AmazonDynamoDBException'],
    ['lambda', 'AccessDeniedException', 'Lambda.AWSLambdaException'],
  ])(
    'names %s %s, which its model does not declare, as the integration reports it: %s',
    (service, code, name) => {
      expect(stepFunctionsErrorName(service, code)).toBe(name);
    },
  );

  it.each([
    ['sns', 'AuthorizationError', 'SNS.AuthorizationErrorException'],
    // A topic key the role may not use (accessDeniedCode).
    ['sns', 'KMSAccessDenied', 'SNS.KMSAccessDeniedException'],
    ['sns', 'InvalidParameter', 'SNS.InvalidParameterException'],
  ])('names a declared %s error %s after its exception, %s', (service, code, name) => {
    expect(stepFunctionsErrorName(service, code)).toBe(name);
  });

  it('gives throttling and contention the names the workflow retries on', () => {
    for (const code of ['Throttling', 'ResourceContention'])
      expect(AUTO_SCALING_TRANSIENT).toContain(stepFunctionsErrorName('autoscaling', code));
  });
});
