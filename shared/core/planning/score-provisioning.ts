import type { ProvisioningScore } from './adapt-planning-quantile';

/** A past plan's view of one step, joined with the load that actually arrived. */
export interface ScoredStep {
  readonly actualLoad: number;
  readonly medianLoad: number;
  readonly plannedLoad: number;
  readonly plannedCapacity: number;
}

/**
 * Scores past plans against actual load. A step is under-provisioned when the actual load exceeds
 * planned capacity × target load per instance, i.e. instances would run above their target.
 */
export function scoreProvisioning(
  steps: readonly ScoredStep[],
  targetLoadPerInstance: number,
): ProvisioningScore {
  let under = 0;
  let belowMedian = 0;
  let within = 0;
  for (const step of steps) {
    if (step.actualLoad > step.plannedCapacity * targetLoadPerInstance) under += 1;
    if (step.actualLoad < step.medianLoad) belowMedian += 1;
    if (step.actualLoad <= step.plannedLoad) within += 1;
  }
  const n = steps.length;
  return {
    steps: n,
    underProvisionedSteps: under,
    belowMedianRatio: n === 0 ? 0 : belowMedian / n,
    withinPlannedQuantileRatio: n === 0 ? 0 : within / n,
  };
}
