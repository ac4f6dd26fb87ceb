import type { ProvisioningScore } from './adapt-planning-quantile';

/** A past plan's view of one step, joined with the load that actually arrived. */
export interface ScoredStep {
  readonly actualLoad: number;
  readonly medianLoad: number;
  readonly plannedLoad: number;
  readonly plannedCapacity: number;
  /**
   * Capacity that actually served the step, when known (the group's in-service capacity when the
   * step is scored). The step then counts as under-provisioned only if this capacity fell short:
   * a plan below the load that the group's reactive policy covered cost no SLO minute.
   */
  readonly servedCapacity?: number;
}

/**
 * Scores past plans against actual load. A step is under-provisioned when the actual load exceeds
 * the capacity that served it (or, when unknown, the planned capacity) × target load per instance,
 * i.e. instances ran above their target.
 */
export function scoreProvisioning(
  steps: readonly ScoredStep[],
  targetLoadPerInstance: number,
): ProvisioningScore {
  let under = 0;
  let belowMedian = 0;
  let within = 0;
  for (const step of steps) {
    const capacity = step.servedCapacity ?? step.plannedCapacity;
    if (step.actualLoad > capacity * targetLoadPerInstance) under += 1;
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
