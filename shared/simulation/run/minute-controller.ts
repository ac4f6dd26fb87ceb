import {
  EC2_PREDICTIVE_DEFAULTS,
  type Ec2PredictiveChoice,
  ec2PredictiveSelectedForecast,
} from '../policies/ec2-predictive-forecast';
import { oracleCapacity } from '../policies/oracle-capacity';
import { groupMetrics } from '../world/group-metric-ids';
import type { SimulatedWorld } from '../world/simulated-world';
import type { PolicyName } from './policy-name';
import type { PrescaleLambdas } from './prescale-lambdas';

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const TICK_MS = 5 * MINUTE_MS;
const PREDICTIVE_REFRESH_MS = 6 * HOUR_MS;

/** What the controllers read of a run: its group, size limits, resolved knobs and the oracle's demand. */
export interface ControllerSettings {
  readonly group: string;
  readonly minSize: number;
  readonly maxSize: number;
  /** ec2-predictive: how long before each hour its capacity is set. */
  readonly bufferMs: number;
  readonly policyTarget: number;
  /** The oracle's demand per minute from `startMs`. */
  readonly oracleDemand: readonly number[];
  readonly startMs: number;
  readonly leadMinutes: number;
}

/** What a policy does at each simulated minute (before the minute's load is recorded). */
export interface MinuteController {
  act(t: number): Promise<void>;
}

/** What Prescale's ticks reported, for the run's notes. */
export interface PrescaleTicks {
  failedItems: number;
  readonly handlerErrors: string[];
}

/** ec2-predictive's forecast load for the hour starting at `timestampMs`. */
export interface HourlyForecast {
  timestampMs: number;
  forecast: number;
}

/** The weekly weight an ec2-predictive refresh used, and whether its backtest chose it. */
export type PredictiveRefresh = Pick<Ec2PredictiveChoice, 'weeklyWeight' | 'chosenBy'>;

/** What a run's controller records for its report. */
export interface ControllerRecords {
  readonly ticks: PrescaleTicks;
  readonly predictiveForecasts: HourlyForecast[];
  /** ec2-predictive: one entry per refresh that forecast. */
  readonly predictiveRefreshes: PredictiveRefresh[];
}

/**
 * The policy's minute controller, or undefined for `reactive` and `static`, whose group acts alone
 * in the world. Prescale's ticks and ec2-predictive's forecasts are recorded for the run's report.
 */
export function minuteController(
  policy: PolicyName,
  world: SimulatedWorld,
  settings: ControllerSettings,
  prescale: PrescaleLambdas | undefined,
  recorded: ControllerRecords,
): MinuteController | undefined {
  const limits = { group: settings.group, minSize: settings.minSize, maxSize: settings.maxSize };
  return policy === 'prescale' && prescale
    ? prescaleController(prescale, recorded.ticks)
    : policy === 'ec2-predictive'
      ? ec2PredictiveController(
          world,
          { ...limits, bufferMs: settings.bufferMs, target: settings.policyTarget },
          recorded,
        )
      : policy === 'oracle'
        ? oracleController(world, settings.oracleDemand, settings.startMs, {
            ...limits,
            leadMinutes: settings.leadMinutes,
          })
        : undefined;
}

function hourlyLoadFromCloudWatch(world: SimulatedWorld, group: string, fromMs: number, toMs: number) {
  // AWS predictive scaling's load metric for the CPU pair is the group's total CPU: the average
  // CPU times the instances reporting it, in service and draining (Terminating) alike, as for
  // Prescale's `cpu` kind. An hour without Terminating datapoints had none.
  const m = groupMetrics(group);
  const hourly = (metric: typeof m.cpu) => {
    const series = world.cloudWatch.store.aggregate(metric, fromMs, toMs, 3600, 'Average', toMs);
    return new Map(series.timestampsMs.map((t, i) => [t, series.values[i] as number]));
  };
  const inService = hourly(m.inService);
  const terminating = hourly(m.terminating);
  return [...hourly(m.cpu)]
    .map(([t, cpu]) => ({
      hourStartMs: t,
      load: cpu * ((inService.get(t) ?? Number.NaN) + (terminating.get(t) ?? 0)),
    }))
    .filter((h) => Number.isFinite(h.load));
}

/** Prescale: the real handlers at every 5-minute tick (target tracking runs in the world). */
function prescaleController(prescale: PrescaleLambdas, ticks: PrescaleTicks): MinuteController {
  return {
    act: async (t) => {
      if (t % TICK_MS !== 0) return;
      const tick = await prescale.tick();
      ticks.failedItems += tick.failedItems;
      ticks.handlerErrors.push(...tick.handlerErrors);
    },
  };
}

/**
 * EC2-style predictive scaling: an hourly forecast from ≤ 14 days of CloudWatch history, refreshed
 * every 6 h with the weekly weight its backtest on the last day chooses, each hour's capacity
 * (⌈forecast load / target⌉, within the size limits) set as the group's minimum `bufferMs` before
 * the hour.
 */
function ec2PredictiveController(
  world: SimulatedWorld,
  limits: {
    readonly group: string;
    readonly bufferMs: number;
    readonly minSize: number;
    readonly maxSize: number;
    readonly target: number;
  },
  { predictiveForecasts: forecasts, predictiveRefreshes: refreshes }: ControllerRecords,
): MinuteController {
  let predictive: { startMs: number; loads: number[] } | undefined;
  return {
    act: async (t) => {
      if (t % PREDICTIVE_REFRESH_MS === 0 || predictive === undefined) {
        const forecastStartMs = Math.floor(t / HOUR_MS) * HOUR_MS;
        const history = hourlyLoadFromCloudWatch(
          world,
          limits.group,
          forecastStartMs - EC2_PREDICTIVE_DEFAULTS.historyDays * 24 * HOUR_MS,
          forecastStartMs,
        );
        const { loads, weeklyWeight, chosenBy } = ec2PredictiveSelectedForecast(history, forecastStartMs);
        if (loads.length > 0) {
          predictive = { startMs: forecastStartMs, loads };
          refreshes.push({ weeklyWeight, chosenBy });
        }
      }
      if ((t + limits.bufferMs) % HOUR_MS !== 0 || !predictive) return;
      const hourMs = t + limits.bufferMs;
      const load = predictive.loads[Math.round((hourMs - predictive.startMs) / HOUR_MS)];
      if (load === undefined) return;
      forecasts.push({ timestampMs: hourMs, forecast: load });
      const capacity = Math.min(
        limits.maxSize,
        Math.max(limits.minSize, Math.ceil(load / limits.target - 1e-9)),
      );
      // Predictive scaling raises (or lowers) the minimum; AWS moves desired up to it, never down.
      world.autoScaling.updateAutoScalingGroup(
        { AutoScalingGroupName: limits.group, MinSize: capacity },
        'a predictive scaling forecast',
      );
    },
  };
}

/** The oracle: desired = the most demand within one worst-case lead time ahead. */
function oracleController(
  world: SimulatedWorld,
  demand: readonly number[],
  /** When `demand[0]`'s minute starts (the burn-in's start, not the evaluation's). */
  demandStartMs: number,
  limits: {
    readonly group: string;
    readonly minSize: number;
    readonly maxSize: number;
    readonly leadMinutes: number;
  },
): MinuteController {
  return {
    act: async (t) => {
      const k = (t - demandStartMs) / MINUTE_MS;
      const want = Math.min(
        limits.maxSize,
        Math.max(limits.minSize, oracleCapacity(demand, k, limits.leadMinutes)),
      );
      if (want !== world.autoScaling.counts(limits.group).desiredCapacity) {
        world.autoScaling.setDesiredCapacity(
          { AutoScalingGroupName: limits.group, DesiredCapacity: want },
          'the oracle',
        );
      }
    },
  };
}
