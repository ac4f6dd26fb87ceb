import { isPermissionRefusal } from '../../../../shared/core/rolling-update/permission-refusal';

describe('isPermissionRefusal', () => {
  it.each([
    ['a declared AccessDeniedException', { Error: 'DynamoDB.AccessDeniedException' }],
    ['a bare AccessDenied', { Error: 'AccessDenied' }],
    [
      "Auto Scaling's AccessDenied under its generic name",
      {
        Error: 'AutoScaling.AutoScalingException',
        Cause:
          'User: arn:aws:sts::1:assumed-role/r/s is not authorized to perform: autoscaling:StartInstanceRefresh on resource: g (Service: AutoScaling, Status Code: 403, Error Code: AccessDenied)',
      },
    ],
    [
      "Auto Scaling's refusal of a launch template",
      {
        Error: 'AutoScaling.AutoScalingException',
        Cause: 'You are not authorized to use launch template: lt-1',
      },
    ],
    ["EC2's UnauthorizedOperation by its name", { Error: 'EC2.UnauthorizedOperation' }],
    [
      "EC2's UnauthorizedOperation by its Cause",
      {
        Error: 'AutoScaling.AutoScalingException',
        Cause:
          'You are not authorized to perform this operation. (Service: AutoScaling, Status Code: 403, Error Code: UnauthorizedOperation)',
      },
    ],
    [
      "an SCP's explicit deny",
      {
        Error: 'AutoScaling.AutoScalingException',
        Cause:
          'User: arn:aws:sts::1:assumed-role/r/s is not authorized to perform: autoscaling:RollbackInstanceRefresh on resource: g with an explicit deny in a service control policy',
      },
    ],
  ])('is true for %s', (_case, failure) => {
    expect(isPermissionRefusal(failure)).toBe(true);
  });

  it.each([
    [
      'throttling under the generic name',
      {
        Error: 'AutoScaling.AutoScalingException',
        Cause: 'Rate exceeded (Service: AutoScaling, Status Code: 400, Error Code: Throttling)',
      },
    ],
    ['a refresh already running', { Error: 'AutoScaling.InstanceRefreshInProgressException' }],
    ['a workflow error', { Error: 'RefreshFailed', Cause: 'the refresh failed' }],
    [
      'a rollback already in progress',
      {
        Error: 'AutoScaling.AutoScalingException',
        Cause:
          'An instance refresh rollback is already in progress. (Service: AutoScaling, Status Code: 400, Error Code: ValidationError)',
      },
    ],
  ])('is false for %s', (_case, failure) => {
    expect(isPermissionRefusal(failure)).toBe(false);
  });
});
