import { validateRequest } from '../../../../shared/simulation/aws-checks/validate-request';

describe('validateRequest', () => {
  it('accepts a request shaped as the API model says', () => {
    expect(
      validateRequest('autoscaling', 'UpdateAutoScalingGroupCommand', {
        AutoScalingGroupName: 'web',
        MinSize: 2,
        DesiredCapacity: 4,
      }),
    ).toEqual([]);
  });

  it('names a missing required member, an unknown member and a wrong type', () => {
    const violations = validateRequest('autoscaling', 'SetDesiredCapacityCommand', {
      DesiredCapacity: 'four',
      Force: true,
    });
    expect(violations.join('\n')).toMatch(/AutoScalingGroupName/);
    expect(violations.join('\n')).toMatch(/DesiredCapacity/);
    expect(violations.join('\n')).toMatch(/Force/);
  });

  it('refuses refresh preferences more than 100 points apart and checkpoints that do not end at 100', () => {
    const violations = validateRequest('autoscaling', 'StartInstanceRefreshCommand', {
      AutoScalingGroupName: 'web',
      Preferences: { MinHealthyPercentage: 0, MaxHealthyPercentage: 200, CheckpointPercentages: [20, 50] },
    });
    expect(violations).toEqual([
      'Preferences: MaxHealthyPercentage − MinHealthyPercentage must be at most 100, got 200 − 0',
      'Preferences.CheckpointPercentages: the last value must be 100, got [20, 50]',
    ]);
  });

  it('refuses two Metrics Insights queries in one GetMetricData call and a period that is not a multiple of 60', () => {
    const violations = validateRequest('cloudwatch', 'GetMetricDataCommand', {
      StartTime: new Date('2026-01-01T00:00:00Z'),
      EndTime: new Date('2026-01-01T03:00:00Z'),
      MetricDataQueries: [
        {
          Id: 'a',
          Expression: 'SELECT AVG(CPUUtilization) FROM SCHEMA("AWS/EC2", AutoScalingGroupName)',
          Period: 300,
        },
        {
          Id: 'b',
          Expression: 'SELECT MAX(CPUUtilization) FROM SCHEMA("AWS/EC2", AutoScalingGroupName)',
          Period: 90,
        },
      ],
    });
    expect(violations).toEqual([
      'MetricDataQueries: at most one Metrics Insights query per call, got 2',
      'MetricDataQueries.b.Period: must be 1, 5, 10, 20, 30 or a multiple of 60, got 90',
    ]);
  });

  it('validates DynamoDB requests in their marshalled form', () => {
    expect(
      validateRequest('dynamodb', 'PutItemCommand', { TableName: 't', Item: { pk: { S: 'a' } } }),
    ).toEqual([]);
    expect(validateRequest('dynamodb', 'PutItemCommand', { Item: { pk: { S: 'a' } } }).join()).toMatch(
      /TableName/,
    );
  });
});
