import type { LoadTrace } from '../load/load-trace';
import type { PrescaleHistorySource } from './prescale-history';

/**
 * Everything that is the same for every policy of one evaluation: the load (one-minute steps,
 * warm-up history first), the evaluated window, the group's hardware and timings, and the seed.
 */
export interface Scenario {
  readonly trace: LoadTrace;
  /** Where the trace came from (file path or `built-in workload, seed N`). */
  readonly source: string;
  /** The load before this instant is history only (seeded into CloudWatch as if served well). */
  readonly evalStartMs: number;
  readonly evalEndMs: number;
  /** SLO: load per ready instance must stay at or below this (60 = 60 % CPU). */
  readonly targetLoadPerInstance: number;
  readonly instanceType: string;
  readonly minSize: number;
  readonly maxSize: number;
  readonly launchDelaySeconds: number;
  readonly launchJitterSeconds: number;
  readonly warmupSeconds: number;
  readonly warmPoolLaunchSeconds: number;
  /** Give every group AWS's default warm pool: MinSize 0, no MaxGroupPreparedCapacity (MaxSize − desired stopped). */
  readonly warmPool: boolean;
  readonly seed: number;
  /** Forecast step of Prescale's configuration (`defaults.stepSeconds`). */
  readonly prescaleStepSeconds: 60 | 300 | 3600;
  /** Prescale's `defaults.planForDailyPeaks`; @default false */
  readonly planForDailyPeaks?: boolean;
  /** Where Prescale reads the load history (`prescale-history.ts`); @default 'cloudwatch-cpu' */
  readonly prescaleHistory?: PrescaleHistorySource;
  /**
   * Minutes every policy runs before `evalStartMs`, neither sampled nor billed, so the window
   * starts from each policy's own state instead of every group sized to the load of its first
   * minute (a cold start the fixed fleet never has). @default 0
   */
  readonly burnInMinutes?: number;
  /**
   * Minutes after a minute ends that CloudWatch returns all of the world's AWS metrics for it
   * (`WorldSettings.metricDelay`); @default none, each readable as its minute ends (every benchmark)
   */
  readonly metricDelayMinutes?: number;
  /**
   * Seconds every policy's group keeps an instance it scales in `Terminating`, out of its capacity
   * but running, billed and publishing its metrics: the deregistration delay of the target group
   * it sits in (`GroupSpec.deregistrationDelaySeconds`); @default none, terminated at once
   */
  readonly deregistrationDelaySeconds?: number;
  /** Known peak of the generated workload, when there is one (hour of day, UTC). */
  readonly dailyPeakHourUtc?: number;
}

/**
 * Minutes every policy runs before the scenario's evaluated window (`burnInMinutes`, 0 when unset).
 * @throws RangeError when it is not a whole number ≥ 0 or would start before the trace.
 */
export function burnInMinutesOf(scenario: Pick<Scenario, 'burnInMinutes' | 'evalStartMs' | 'trace'>): number {
  const burnIn = scenario.burnInMinutes ?? 0;
  if (
    !Number.isInteger(burnIn) ||
    burnIn < 0 ||
    scenario.evalStartMs - burnIn * 60_000 < scenario.trace.startMs
  ) {
    throw new RangeError(
      `scenario.burnInMinutes: expected a whole number of minutes ≥ 0 within the warm-up history, got ${burnIn}`,
    );
  }
  return burnIn;
}

/** The defaults behind `npm start`: EC2 boot ~2.5 min (+ up to 1 min), 3 min warmup, m5.large. */
export const SCENARIO_DEFAULTS = {
  targetLoadPerInstance: 60,
  instanceType: 'm5.large',
  minSize: 1,
  launchDelaySeconds: 150,
  launchJitterSeconds: 60,
  warmupSeconds: 180,
  warmPoolLaunchSeconds: 30,
  warmPool: false,
  prescaleStepSeconds: 300,
} as const satisfies Partial<Scenario>;
