import { AutoScalingClient, DescribePoliciesCommand, type ScalingPolicy } from '@aws-sdk/client-auto-scaling';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { groupPolicyFacts, readGroupPolicyFacts } from '../../../shared/aws/auto-scaling-group-policies';

const asg = mockClient(AutoScalingClient);

// Shapes from the DescribePolicies API reference's example response and PredictiveScalingConfiguration.
const targetTracking: ScalingPolicy = {
  AutoScalingGroupName: 'web',
  PolicyName: 'cpu50-target-tracking-scaling-policy',
  PolicyARN:
    'arn:aws:autoscaling:us-west-2:123456789012:scalingPolicy:5f6c8a2e:autoScalingGroupName/web:policyName/cpu50-target-tracking-scaling-policy',
  PolicyType: 'TargetTrackingScaling',
  StepAdjustments: [],
  Alarms: [],
  EstimatedInstanceWarmup: 300,
  TargetTrackingConfiguration: {
    PredefinedMetricSpecification: { PredefinedMetricType: 'ASGAverageCPUUtilization' },
    TargetValue: 50,
    DisableScaleIn: false,
  },
  Enabled: true,
};
const predictive = (
  mode: 'ForecastOnly' | 'ForecastAndScale' | undefined,
  enabled = true,
): ScalingPolicy => ({
  AutoScalingGroupName: 'web',
  PolicyName: 'cpu40-predictive-scaling-policy',
  PolicyType: 'PredictiveScaling',
  PredictiveScalingConfiguration: {
    MetricSpecifications: [
      { TargetValue: 40, PredefinedMetricPairSpecification: { PredefinedMetricType: 'ASGCPUUtilization' } },
    ],
    ...(mode ? { Mode: mode } : {}),
    SchedulingBufferTime: 300,
  },
  Alarms: [],
  Enabled: enabled,
});

describe('readGroupPolicyFacts', () => {
  beforeEach(() => asg.reset());

  it('reads every policy type on every page', async () => {
    asg
      .on(DescribePoliciesCommand, { AutoScalingGroupName: 'web', NextToken: undefined })
      .resolves({ ScalingPolicies: [predictive('ForecastAndScale')], NextToken: 'page-2' });
    asg
      .on(DescribePoliciesCommand, { AutoScalingGroupName: 'web', NextToken: 'page-2' })
      .resolves({ ScalingPolicies: [targetTracking] });
    const facts = await readGroupPolicyFacts(new AutoScalingClient({}), 'web');
    expect(facts).toEqual({
      hasScalingPolicies: true,
      policiesScaleIn: true,
      predictiveScalingPolicy: 'cpu40-predictive-scaling-policy',
    });
    expect(asg).toHaveReceivedCommandTimes(DescribePoliciesCommand, 2);
    for (const call of asg.commandCalls(DescribePoliciesCommand)) {
      expect(call.args[0].input).toMatchObject({ AutoScalingGroupName: 'web', MaxRecords: 50 });
      expect(call.args[0].input.PolicyTypes).toBeUndefined();
    }
  });

  it('passes the client’s error on', async () => {
    asg.on(DescribePoliciesCommand).rejects(new Error('Rate exceeded'));
    await expect(readGroupPolicyFacts(new AutoScalingClient({}), 'web')).rejects.toThrow('Rate exceeded');
  });
});

describe('groupPolicyFacts', () => {
  it('counts enabled target tracking, step and simple policies as the group’s own scaling', () => {
    expect(groupPolicyFacts([targetTracking])).toEqual({ hasScalingPolicies: true, policiesScaleIn: true });
    expect(groupPolicyFacts([{ PolicyName: 's', PolicyType: 'StepScaling', Enabled: true }])).toMatchObject({
      hasScalingPolicies: true,
    });
    expect(groupPolicyFacts([{ PolicyName: 's', PolicyType: 'SimpleScaling' }])).toMatchObject({
      hasScalingPolicies: true,
    });
    expect(groupPolicyFacts([])).toEqual({ hasScalingPolicies: false });
  });

  it('does not count a disabled policy: it scales nothing', () => {
    expect(groupPolicyFacts([{ ...targetTracking, Enabled: false }])).toEqual({ hasScalingPolicies: false });
    expect(groupPolicyFacts([predictive('ForecastAndScale', false)])).toEqual({ hasScalingPolicies: false });
  });

  it('names a predictive policy only when it scales: ForecastAndScale, enabled', () => {
    expect(groupPolicyFacts([predictive('ForecastAndScale')])).toEqual({
      hasScalingPolicies: false,
      predictiveScalingPolicy: 'cpu40-predictive-scaling-policy',
    });
    expect(groupPolicyFacts([targetTracking, predictive('ForecastOnly')])).toEqual({
      hasScalingPolicies: true,
      policiesScaleIn: true,
    });
    // The mode defaults to ForecastOnly when the policy does not say.
    expect(groupPolicyFacts([predictive(undefined)])).toEqual({ hasScalingPolicies: false });
  });

  it('tells whether the reactive policies can remove capacity at all', () => {
    const noScaleIn: ScalingPolicy = {
      ...targetTracking,
      TargetTrackingConfiguration: { TargetValue: 50, DisableScaleIn: true },
    };
    const stepOut = {
      PolicyName: 'out',
      PolicyType: 'StepScaling',
      StepAdjustments: [{ ScalingAdjustment: 2 }],
    };
    const stepIn = {
      PolicyName: 'in',
      PolicyType: 'StepScaling',
      StepAdjustments: [{ ScalingAdjustment: -1 }],
    };
    const simpleExact = {
      PolicyName: 'x',
      PolicyType: 'SimpleScaling',
      AdjustmentType: 'ExactCapacity',
      ScalingAdjustment: 4,
    };
    expect(groupPolicyFacts([noScaleIn, stepOut]).policiesScaleIn).toBe(false);
    expect(groupPolicyFacts([noScaleIn, stepIn]).policiesScaleIn).toBe(true);
    expect(groupPolicyFacts([simpleExact]).policiesScaleIn).toBe(true);
    // A disabled policy's scale-in counts for nothing.
    expect(groupPolicyFacts([stepOut, { ...stepIn, Enabled: false }]).policiesScaleIn).toBe(false);
  });
});
