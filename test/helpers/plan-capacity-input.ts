import type { CapacityBounds, PlanCapacityInput } from '../../shared/core/planning/capacity-plan-input';

/** The instant the planning tests plan at: a Monday noon, UTC. */
export const PLAN_NOW_MS = Date.UTC(2026, 0, 5, 12, 0);

/**
 * A `planCapacity` input: 5-minute steps starting now, target 60 per instance, a 10-minute lead
 * time and a 5-minute tick, with the test's own bounds and overrides.
 */
export function planCapacityInput(
  plannedLoad: number[],
  bounds: CapacityBounds,
  overrides: Partial<PlanCapacityInput> = {},
): PlanCapacityInput {
  return {
    plannedLoad,
    forecastStartMs: PLAN_NOW_MS,
    stepSeconds: 300,
    nowMs: PLAN_NOW_MS,
    targetLoadPerInstance: 60,
    leadTimeSeconds: 600,
    tickIntervalSeconds: 300,
    bounds,
    ...overrides,
  };
}
