import { GROUP_TAGS } from '../../contracts/env';
import type { SimulatedWorld } from '../world/simulated-world';
import type { PolicyName } from './policy-name';
import type { PolicyKnobs } from './policy-run';
import { loadUnitsPerPct } from './prescale-history';
import type { Scenario } from './scenario';

/** The sizes a run's group starts from (the caller derives them from the scenario and the knobs). */
export interface PolicyGroupSizes {
  readonly maxSize: number;
  readonly initialDemand: number;
  /** The static policy's fleet. */
  readonly staticCapacity: number;
  /** The target the policy's target tracking keeps, % CPU. */
  readonly policyTarget: number;
}

/**
 * Prescale's group tags for a knob setting: enrolled, and the knob's target (in the unit of the
 * metric Prescale reads, `loadUnitsPerPct`), quantile cap, recurring peak, recent-load hold,
 * predictive scale-in's share of the target, forecast floor, its check and the steady hold.
 */
function prescaleTags(knobs: PolicyKnobs, scenario: Scenario): Record<string, string> {
  const units = loadUnitsPerPct(scenario.prescaleHistory ?? 'cloudwatch-cpu', scenario.prescaleStepSeconds);
  return {
    [GROUP_TAGS.enabled]: 'true',
    ...(knobs.targetPct !== undefined
      ? { [GROUP_TAGS.targetLoadPerInstance]: String(knobs.targetPct * units) }
      : {}),
    ...(knobs.planningQuantileMax !== undefined
      ? { [GROUP_TAGS.planningQuantileMax]: String(knobs.planningQuantileMax) }
      : {}),
    ...(knobs.recurringPeakDays !== undefined
      ? { [GROUP_TAGS.recurringPeakDays]: String(knobs.recurringPeakDays) }
      : {}),
    ...(knobs.recentLoadHoldMinutes !== undefined
      ? { [GROUP_TAGS.recentLoadHoldMinutes]: String(knobs.recentLoadHoldMinutes) }
      : {}),
    ...(knobs.recentLoadHoldQuantile !== undefined
      ? { [GROUP_TAGS.recentLoadHoldQuantile]: String(knobs.recentLoadHoldQuantile) }
      : {}),
    ...(knobs.scaleInAheadTargetRatio !== undefined
      ? { [GROUP_TAGS.scaleInAheadTargetRatio]: String(knobs.scaleInAheadTargetRatio) }
      : {}),
    ...(knobs.forecastFloor !== undefined ? { [GROUP_TAGS.forecastFloor]: String(knobs.forecastFloor) } : {}),
    ...(knobs.floorCheckDays !== undefined
      ? { [GROUP_TAGS.floorCheckDays]: String(knobs.floorCheckDays) }
      : {}),
    ...(knobs.steadyHoldMaxExtraCost !== undefined
      ? { [GROUP_TAGS.steadyHoldMaxExtraCost]: String(knobs.steadyHoldMaxExtraCost) }
      : {}),
  };
}

/**
 * Creates the run's Auto Scaling group `name` in `world` as `policy` runs it: static fixed at its
 * fleet; the others from the load at the start, with target tracking for prescale, reactive and
 * ec2-predictive (AWS predictive scaling's forecast on top for the last), and Prescale's tags.
 */
export function createPolicyGroup(
  world: SimulatedWorld,
  name: string,
  policy: PolicyName,
  scenario: Scenario,
  knobs: PolicyKnobs,
  sizes: PolicyGroupSizes,
): void {
  const { maxSize, initialDemand, staticCapacity, policyTarget } = sizes;
  const isStatic = policy === 'static';
  const usesTargetTracking = policy === 'prescale' || policy === 'reactive' || policy === 'ec2-predictive';
  world.createGroup({
    name,
    minSize: isStatic ? staticCapacity : scenario.minSize,
    maxSize: isStatic ? staticCapacity : maxSize,
    desiredCapacity: isStatic ? staticCapacity : Math.min(maxSize, Math.max(scenario.minSize, initialDemand)),
    instanceType: scenario.instanceType,
    tags: policy === 'prescale' ? prescaleTags(knobs, scenario) : {},
    launchDelaySeconds: scenario.launchDelaySeconds,
    launchJitterSeconds: scenario.launchJitterSeconds,
    warmupSeconds: scenario.warmupSeconds,
    warmPoolLaunchSeconds: scenario.warmPoolLaunchSeconds,
    // The fixed fleet drains too: it never scales in, so the delay changes nothing for it.
    ...(scenario.deregistrationDelaySeconds
      ? { deregistrationDelaySeconds: scenario.deregistrationDelaySeconds }
      : {}),
    ...(usesTargetTracking
      ? {
          targetTrackingCpu: policy === 'prescale' ? (knobs.trackingTargetPct ?? policyTarget) : policyTarget,
        }
      : {}),
    ...(policy === 'ec2-predictive' ? { predictiveScaling: true } : {}),
    // AWS's default warm pool, the same for every policy: no MaxGroupPreparedCapacity, so the pool
    // holds MaxSize − desired stopped instances (MinSize 0, which Prescale leaves: it sizes only a
    // capped pool, `applyGroupPlan`). A prepared capacity fixed at the start's demand left the
    // rivals no pool once the day's load came.
    // https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_PutWarmPool.html
    ...(scenario.warmPool ? { warmPool: { minSize: 0 } } : {}),
  });
}
