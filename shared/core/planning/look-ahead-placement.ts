/**
 * Where a look-ahead's actions go in time: the bridge two loop intervals from now (a live loop
 * rewrites the actions before any of them runs), then whole-hour steps from the first whole UTC
 * hour after the bridge up to `hours` from now. `planLookAhead` places its actions so, and the
 * configuration's check of `lookAhead.hours` reads its bound from the same rule.
 */

const HOUR_MS = 3_600_000;

/** When a plan made at `nowMs` runs its bridge and its first whole-hour step (epoch ms). */
export interface LookAheadPlacement {
  readonly bridgeMs: number;
  /** The first whole UTC hour at or after `bridgeMs`. */
  readonly firstStepMs: number;
}

/** The placement of a plan made at `nowMs` by a loop running every `tickIntervalSeconds`. */
export function lookAheadPlacement(nowMs: number, tickIntervalSeconds: number): LookAheadPlacement {
  const bridgeMs = nowMs + 2 * tickIntervalSeconds * 1000;
  return { bridgeMs, firstStepMs: Math.ceil(bridgeMs / HOUR_MS) * HOUR_MS };
}

/**
 * Whole steps of `stepHours` from `firstStepMs` up to `hours` from `nowMs` (not from that hour);
 * 0 or less when the first step starts at or past them, and the plan then has none.
 */
export function lookAheadStepCount(
  nowMs: number,
  firstStepMs: number,
  hours: number,
  stepHours: number,
): number {
  return Math.ceil((nowMs + hours * HOUR_MS - firstStepMs) / (stepHours * HOUR_MS));
}

/**
 * The fewest whole `hours` of look-ahead at which every run, whenever it runs, plans at least one
 * step (`lookAheadStepCount` > 0); with fewer, some runs plan none and the group is left without a
 * look-ahead. The first step starts latest after a run whose bridge falls just past a whole hour
 * (1 ms, the clock's grain): then it is an hour and the bridge's two intervals, less 1 ms, away.
 * One step of any `stepHours` is enough: the count is positive whenever the first step starts
 * before `hours` from now. 2 at a 5-minute loop, 2 up to 30 minutes, 3 from 31 to 60.
 * @throws RangeError when `tickIntervalSeconds` is not a finite number ≥ 0.
 */
export function minLookAheadHours(tickIntervalSeconds: number): number {
  if (!(Number.isFinite(tickIntervalSeconds) && tickIntervalSeconds >= 0))
    throw new RangeError(`expected tickIntervalSeconds a finite number ≥ 0, got ${tickIntervalSeconds}`);
  const bridgeMs = 100 * HOUR_MS + 1;
  const nowMs = bridgeMs - 2 * tickIntervalSeconds * 1000;
  const { firstStepMs } = lookAheadPlacement(nowMs, tickIntervalSeconds);
  let hours = 1;
  while (lookAheadStepCount(nowMs, firstStepMs, hours, 1) <= 0) hours += 1;
  return hours;
}
