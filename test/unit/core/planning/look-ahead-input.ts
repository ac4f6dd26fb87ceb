import {
  type LookAheadInput,
  SCHEDULED_ACTIONS_PER_GROUP,
} from '../../../../shared/core/planning/plan-look-ahead';

/** A look-ahead's input: 4 instances needed all day from Sunday 2026-11-29 13:07 UTC, 5-minute steps. */
export const HOUR_MS = 3_600_000;
export const NOW = Date.UTC(2026, 10, 29, 13, 7);
export const STEP_S = 300;

/** Capacity per 5-minute step from NOW's step, for 24 h: `f(hour from now)`. */
export function perStep(f: (hour: number) => number): number[] {
  return Array.from({ length: 288 }, (_, i) => f(Math.floor((i * STEP_S) / 3600)));
}

export const base = (o: Partial<LookAheadInput> = {}): LookAheadInput => ({
  perStepCapacity: perStep(() => 4),
  forecastStartMs: Math.floor(NOW / (STEP_S * 1000)) * STEP_S * 1000,
  stepSeconds: STEP_S,
  nowMs: NOW,
  leadTimeSeconds: 600,
  tickIntervalSeconds: 300,
  hours: 24,
  stepHours: 1,
  freeActionSlots: SCHEDULED_ACTIONS_PER_GROUP,
  currentMinSize: 4,
  floorCapacity: 1,
  maxSize: 50,
  maxChangePerTick: 10,
  scaleInPerTick: 1,
  setsDesiredCapacity: false,
  userMinSize: 2,
  ...o,
});
