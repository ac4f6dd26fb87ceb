import type { AutoScalingContext } from './auto-scaling-context';
import { ACCOUNT, type SimGroup } from './group-state';
import { page } from './paging';

/** DescribePolicies input, as the SDK sends it. */
export interface DescribePoliciesInput {
  AutoScalingGroupName?: string;
  PolicyNames?: string[];
  PolicyTypes?: string[];
  MaxRecords?: number;
  NextToken?: string;
}

interface ScalingPolicy {
  AutoScalingGroupName: string;
  PolicyName: string;
  PolicyARN: string;
  PolicyType: string;
  [k: string]: unknown;
}

/** DescribePolicies over `groups`: each group's target-tracking and predictive policies, at most 50 a page. */
export function describePolicies(
  ctx: AutoScalingContext,
  groups: readonly SimGroup[],
  input: DescribePoliciesInput,
): unknown {
  let policies = groups.flatMap((g) => policiesOf(ctx, g));
  if (input.PolicyNames?.length) policies = policies.filter((p) => input.PolicyNames?.includes(p.PolicyName));
  if (input.PolicyTypes?.length) policies = policies.filter((p) => input.PolicyTypes?.includes(p.PolicyType));
  const { items, next } = page(policies, input.MaxRecords, input.NextToken, 50);
  return { ScalingPolicies: items, ...(next ? { NextToken: next } : {}) };
}

function policiesOf(ctx: AutoScalingContext, group: SimGroup): ScalingPolicy[] {
  const policies: ScalingPolicy[] = [];
  const arn = (name: string) =>
    `arn:aws:autoscaling:${ctx.region}:${ACCOUNT}:scalingPolicy:${group.arn.split(':')[6]}:autoScalingGroupName/${group.spec.name}:policyName/${name}`;
  if (group.spec.targetTrackingCpu !== undefined) {
    policies.push(targetTrackingPolicy(ctx, group, arn('cpu-target-tracking'), group.spec.targetTrackingCpu));
  }
  if (group.spec.predictiveScaling) {
    policies.push({
      AutoScalingGroupName: group.spec.name,
      PolicyName: 'cpu-predictive',
      PolicyARN: arn('cpu-predictive'),
      PolicyType: 'PredictiveScaling',
      PredictiveScalingConfiguration: {
        MetricSpecifications: [
          {
            TargetValue: group.spec.targetTrackingCpu ?? 60,
            PredefinedMetricPairSpecification: { PredefinedMetricType: 'ASGCPUUtilization' },
          },
        ],
        Mode: group.spec.predictiveScalingMode ?? 'ForecastAndScale',
        SchedulingBufferTime: 300,
        MaxCapacityBreachBehavior: 'HonorMaxCapacity',
      },
      Alarms: [],
      Enabled: true,
    });
  }
  return policies;
}

function targetTrackingPolicy(
  ctx: AutoScalingContext,
  group: SimGroup,
  policyArn: string,
  targetValue: number,
): ScalingPolicy {
  const alarm = (suffix: string) => ({
    AlarmName: `TargetTracking-${group.spec.name}-${suffix}`,
    AlarmARN: `arn:aws:cloudwatch:${ctx.region}:${ACCOUNT}:alarm:TargetTracking-${group.spec.name}-${suffix}`,
  });
  return {
    AutoScalingGroupName: group.spec.name,
    PolicyName: 'cpu-target-tracking',
    PolicyARN: policyArn,
    PolicyType: 'TargetTrackingScaling',
    EstimatedInstanceWarmup: group.spec.warmupSeconds,
    TargetTrackingConfiguration: {
      PredefinedMetricSpecification: { PredefinedMetricType: 'ASGAverageCPUUtilization' },
      TargetValue: targetValue,
      DisableScaleIn: group.spec.targetTrackingDisableScaleIn === true,
    },
    Alarms: [alarm('AlarmHigh'), alarm('AlarmLow')],
    Enabled: group.spec.targetTrackingEnabled !== false,
  };
}
