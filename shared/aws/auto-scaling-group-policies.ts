import {
  type AutoScalingClient,
  DescribePoliciesCommand,
  type ScalingPolicy,
} from '@aws-sdk/client-auto-scaling';
import type { GroupSnapshot } from '../ports/scaling-target';

/** Policy types that react to the group's load, and so keep its own scale-in and scale-out. */
const REACTIVE_POLICY_TYPES = new Set(['TargetTrackingScaling', 'StepScaling', 'SimpleScaling']);
/** DescribePolicies' default page size, which every maximum the API reference has given allows. */
const POLICIES_PER_PAGE = 50;

/** What a group's scaling policies tell a run: its own reactive scaling, another forecaster. */
export type GroupPolicyFacts = Pick<
  GroupSnapshot,
  'hasScalingPolicies' | 'policiesScaleIn' | 'predictiveScalingPolicy'
>;

/**
 * Reads every scaling policy of the group (all pages) and what they mean for Prescale
 * (`groupPolicyFacts`). Throws what the client throws; the caller translates it.
 */
export async function readGroupPolicyFacts(
  client: AutoScalingClient,
  groupName: string,
): Promise<GroupPolicyFacts> {
  const policies: ScalingPolicy[] = [];
  let NextToken: string | undefined;
  do {
    const out = await client.send(
      new DescribePoliciesCommand({
        AutoScalingGroupName: groupName,
        MaxRecords: POLICIES_PER_PAGE,
        ...(NextToken ? { NextToken } : {}),
      }),
    );
    policies.push(...(out.ScalingPolicies ?? []));
    NextToken = out.NextToken;
  } while (NextToken);
  return groupPolicyFacts(policies);
}

/**
 * What a group's policies mean for Prescale, and whether any of its reactive ones scales in. A disabled policy (`Enabled: false`) acts on
 * nothing, so it neither keeps the group's own scaling nor holds Prescale. A predictive scaling
 * policy acts only in `ForecastAndScale` mode (its mode defaults to `ForecastOnly`), and then sets
 * the group's capacity from its own forecast each hour: Prescale and it would undo each other.
 */
export function groupPolicyFacts(policies: readonly ScalingPolicy[]): GroupPolicyFacts {
  const enabled = policies.filter((p) => p.Enabled !== false);
  const predictive = enabled.find(
    (p) =>
      p.PolicyType === 'PredictiveScaling' && p.PredictiveScalingConfiguration?.Mode === 'ForecastAndScale',
  );
  const reactive = enabled.filter((p) => REACTIVE_POLICY_TYPES.has(p.PolicyType ?? ''));
  return {
    hasScalingPolicies: reactive.length > 0,
    ...(reactive.length > 0 ? { policiesScaleIn: reactive.some(scalesIn) } : {}),
    ...(predictive ? { predictiveScalingPolicy: predictive.PolicyName ?? 'unnamed' } : {}),
  };
}

/**
 * Whether a reactive policy can remove capacity: target tracking unless `DisableScaleIn`; a step
 * or simple policy with a negative adjustment, or one that sets an exact capacity.
 */
function scalesIn(policy: ScalingPolicy): boolean {
  if (policy.PolicyType === 'TargetTrackingScaling')
    return policy.TargetTrackingConfiguration?.DisableScaleIn !== true;
  if (policy.AdjustmentType === 'ExactCapacity') return true;
  const adjustments = [
    policy.ScalingAdjustment,
    ...(policy.StepAdjustments ?? []).map((s) => s.ScalingAdjustment),
  ];
  return adjustments.some((a) => a !== undefined && a < 0);
}
