import { checkRequest, validateRequest } from '../../../../shared/simulation/aws-checks/validate-request';

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

  it('refuses MaxHealthyPercentage without MinHealthyPercentage', () => {
    expect(
      validateRequest('autoscaling', 'StartInstanceRefreshCommand', {
        AutoScalingGroupName: 'web',
        Preferences: { MaxHealthyPercentage: 150 },
      }),
    ).toEqual([
      'Preferences.MinHealthyPercentage: required when MaxHealthyPercentage is given, got MaxHealthyPercentage 150 alone',
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

describe('checkRequest', () => {
  it('refuses an Auto Scaling name longer than 255 characters as Auto Scaling does', () => {
    const name = 'w'.repeat(256);
    expect(
      checkRequest('autoscaling', 'UpdateAutoScalingGroupCommand', { AutoScalingGroupName: name }),
    ).toEqual({
      code: 'ValidationError',
      message: `1 validation error detected: Value '${name}' at 'autoScalingGroupName' failed to satisfy constraint: Member must have length less than or equal to 255`,
      violations: [
        `Value '${name}' at 'autoScalingGroupName' failed to satisfy constraint: Member must have length less than or equal to 255`,
      ],
    });
  });

  it('counts every failure and names nested members and list elements in the message', () => {
    const refusal = checkRequest('autoscaling', 'StartInstanceRefreshCommand', {
      AutoScalingGroupName: 'web',
      Preferences: { MinHealthyPercentage: 150, CheckpointPercentages: [0, 100] },
    });
    expect(refusal?.message).toBe(
      "2 validation errors detected: Value '150' at 'preferences.minHealthyPercentage' failed to satisfy constraint: Member must have value less than or equal to 100; Value '0' at 'preferences.checkpointPercentages' failed to satisfy constraint: Member must satisfy constraint: [Member must have value greater than or equal to 1]",
    );
  });

  it('refuses a value outside its enum', () => {
    expect(
      checkRequest('autoscaling', 'PutWarmPoolCommand', { AutoScalingGroupName: 'web', PoolState: 'Warm' }),
    ).toEqual(
      expect.objectContaining({
        code: 'ValidationError',
        message:
          "1 validation error detected: Value 'Warm' at 'poolState' failed to satisfy constraint: Member must satisfy enum value set: [Stopped, Running, Hibernated]",
      }),
    );
  });

  it('refuses a value that does not match its pattern with the service error of a JSON-protocol service', () => {
    expect(
      checkRequest('scheduler', 'DeleteScheduleCommand', { Name: 'campaign 1', GroupName: 'prescale' }),
    ).toEqual(
      expect.objectContaining({
        code: 'ValidationException',
        message:
          "1 validation error detected: Value 'campaign 1' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[0-9a-zA-Z-_.]+$",
      }),
    );
  });

  it('refuses a DynamoDB request breaking a length as DynamoDB does', () => {
    const refusal = checkRequest('dynamodb', 'GetItemCommand', { TableName: '', Key: { pk: { S: 'a' } } });
    expect(refusal?.code).toBe('ValidationException');
    expect(refusal?.message).toBe(
      "1 validation error detected: Value '' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
  });

  it('words a CloudWatch failure as CloudWatch does, with query-style parameter names', () => {
    const refusal = checkRequest('cloudwatch', 'DescribeAlarmsCommand', {
      MaxRecords: 500,
      StateValue: 'FIRING',
    });
    expect(refusal).toEqual({
      code: 'ValidationError',
      message: [
        'The value FIRING for parameter StateValue is not valid: expected one of OK, ALARM, INSUFFICIENT_DATA.',
        'The value 500 for parameter MaxRecords must be less than or equal to 100.',
      ].join('\n'),
      violations: [
        'The value FIRING for parameter StateValue is not valid: expected one of OK, ALARM, INSUFFICIENT_DATA.',
        'The value 500 for parameter MaxRecords must be less than or equal to 100.',
      ],
    });
  });

  it('accepts IncludeInstances, newer than the aws-sdk v2 model, as a boolean only', () => {
    const describe = (IncludeInstances: unknown) =>
      checkRequest('autoscaling', 'DescribeAutoScalingGroupsCommand', { IncludeInstances, MaxRecords: 100 });
    expect(describe(false)).toBeUndefined();
    expect(describe(true)).toBeUndefined();
    expect(describe('no')).toEqual(
      expect.objectContaining({
        code: 'ValidationError',
        message: expect.stringMatching(/IncludeInstances/),
      }),
    );
  });

  it('answers a structural or cross-field violation with the service validation code before constraints', () => {
    const refusal = checkRequest('autoscaling', 'SetDesiredCapacityCommand', { DesiredCapacity: 2 });
    expect(refusal?.code).toBe('ValidationError');
    expect(refusal?.message).toMatch(/AutoScalingGroupName/);
  });

  it('accepts requests shaped as the handlers send them', () => {
    expect(
      checkRequest('autoscaling', 'StartInstanceRefreshCommand', {
        AutoScalingGroupName: 'web',
        Strategy: 'Rolling',
        DesiredConfiguration: { LaunchTemplate: { LaunchTemplateId: 'lt-0a1b2c3d4e5f60718', Version: '3' } },
        Preferences: {
          MinHealthyPercentage: 90,
          MaxHealthyPercentage: 120,
          InstanceWarmup: 300,
          CheckpointPercentages: [20, 50, 100],
          CheckpointDelay: 600,
          AutoRollback: true,
          ScaleInProtectedInstances: 'Wait',
          StandbyInstances: 'Wait',
        },
      }),
    ).toBeUndefined();
    expect(
      checkRequest('dynamodb', 'QueryCommand', {
        TableName: 'prescale-state',
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': { S: 'GROUP#web' } },
        Limit: 50,
      }),
    ).toBeUndefined();
  });
});
