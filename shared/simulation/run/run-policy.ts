import { GROUP_TAGS } from '../../contracts/env';
import type { RunRecord } from '../../ports/state-store';
import { elasticityMetrics } from '../evaluation/elasticity-metrics';
import {
  type DailyPeakAccuracy,
  dailyPeakAccuracy,
  type ForecastAccuracy,
  type ForecastDay,
  forecastAccuracy,
} from '../evaluation/forecast-accuracy';
import { loadTraceAt } from '../load/load-trace';
import { EC2_PREDICTIVE_DEFAULTS, ec2PredictiveForecast } from '../policies/ec2-predictive-forecast';
import { demandInstances, oracleCapacity } from '../policies/oracle-capacity';
import { instanceTypeSpec, STOPPED_HOURLY_PRICE_USD } from '../world/instance-types';
import { groupMetrics, SimulatedWorld } from '../world/simulated-world';
import type { PolicyName } from './policy-name';
import type { PrescaleLambdas } from './prescale-lambdas';
import type { Scenario } from './scenario';

/** Per-minute samples of one run over the evaluated window. */
export interface RunSamples {
  readonly startMs: number;
  /** Offered load, percent-of-one-instance units. */
  readonly load: number[];
  /** Instances needed (≥ 1). */
  readonly demand: number[];
  /** Instances ready (InService, warmed, healthy). */
  readonly supply: number[];
  readonly desired: number[];
  readonly minSize: number[];
  /** Running instances billed (pending, in service, warm pool initialising). */
  readonly billed: number[];
  readonly warmPoolStopped: number[];
}

/** The metrics of one policy, the shape of `--json` policies[]. */
export interface PolicySummary {
  readonly name: PolicyName;
  readonly thetaU: number;
  readonly thetaO: number;
  readonly tauU: number;
  readonly tauO: number;
  readonly instability: number;
  readonly sloViolationMinutes: number;
  readonly instanceHours: number;
  readonly costUsd: number;
  readonly scalingActions: number;
  /** For the predictive policies: their forecasts against the load that arrived. */
  readonly forecast?: ForecastAccuracy & {
    readonly horizon: string;
    /** Prescale: day-ahead daily peaks (the first run of each UTC day, its 24 h horizon). */
    readonly peaks?: DailyPeakAccuracy;
  };
}

/** A forecast band over time, in load units: what a predictive policy expected at each instant. */
export interface ForecastBand {
  readonly timestampsMs: number[];
  readonly median: number[];
  /** The load the policy planned for (Prescale: its planning quantile; EC2: its forecast). */
  readonly planned: number[];
}

/** One policy's complete run. */
export interface PolicyRun {
  readonly summary: PolicySummary;
  readonly samples: RunSamples;
  readonly band?: ForecastBand;
  /** Notes for the report: handler failures, cache use, calls answered. */
  readonly notes: string[];
}

/**
 * A policy's own knob, for sweeping its cost/SLO trade-off. The SLO (and so demand and the
 * SLO-violation minutes) stays at the scenario's target load per instance whatever the knob.
 */
export interface PolicyKnobs {
  /**
   * Target of the target-tracking policy, % CPU (reactive, ec2-predictive and prescale), and the
   * load per instance the predictive policies plan for (prescale through its
   * `prescale:target-load-per-instance` group tag). @default the scenario's target
   */
  readonly targetPct?: number;
  /**
   * prescale: its group's target-tracking target when it differs from `targetPct` (a safety net
   * above the load per instance Prescale plans for). @default targetPct
   */
  readonly trackingTargetPct?: number;
  /**
   * prescale: the ceiling of its planning quantile, through the `prescale:planning-quantile-max`
   * group tag (the start and lower bound follow it down). @default the configuration's
   */
  readonly planningQuantileMax?: number;
  /** ec2-predictive: SchedulingBufferTime, seconds before each hour, a whole minute below an hour. @default 300 */
  readonly schedulingBufferSeconds?: number;
  /** static: fleet size. @default the evaluated window's peak demand (within MaxSize) */
  readonly staticCapacity?: number;
}

/** Extra inputs of a run. */
export interface RunPolicyOptions {
  /** The policy's knob setting; @default the defaults each knob documents. */
  readonly knobs?: PolicyKnobs;
  /** Required for `prescale`: the loaded handlers. */
  readonly prescale?: PrescaleLambdas;
  /** Called every simulated hour with the share done (0–1). */
  readonly onProgress?: (done: number) => void;
}

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const GROUP = 'web';
const TICK_MS = 5 * MINUTE_MS;
/** EC2 predictive scaling launches capacity this long before each forecast hour (SchedulingBufferTime). */
const PREDICTIVE_BUFFER_MS = 300_000;
const PREDICTIVE_REFRESH_MS = 6 * HOUR_MS;

function hourlyLoadFromCloudWatch(world: SimulatedWorld, fromMs: number, toMs: number) {
  // AWS predictive scaling's load metric for the CPU pair: total CPU = average CPU × instances.
  const m = groupMetrics(GROUP);
  const cpu = world.cloudWatch.store.aggregate(m.cpu, fromMs, toMs, 3600, 'Average', toMs);
  const n = world.cloudWatch.store.aggregate(m.inService, fromMs, toMs, 3600, 'Average', toMs);
  const nByHour = new Map(n.timestampsMs.map((t, i) => [t, n.values[i] as number]));
  return cpu.timestampsMs
    .map((t, i) => ({ hourStartMs: t, load: (cpu.values[i] as number) * (nByHour.get(t) ?? Number.NaN) }))
    .filter((h) => Number.isFinite(h.load));
}

/**
 * Runs one policy over the scenario's evaluated window in a fresh simulated world, minute by
 * minute: lifecycle and scheduled actions advance, the policy acts, the minute's load is turned
 * into CloudWatch metrics, and supply and demand are sampled.
 *
 * - `prescale`: the real handlers every 5 minutes (forecast-and-scale) plus the group's
 *   target-tracking policy, which keeps working above the floor Prescale raises.
 * - `reactive`: target tracking alone (3 × 1-min breaches out, 15 below in, warmup honoured).
 * - `ec2-predictive`: hourly forecast from ≤ 14 days, refreshed every 6 h, MinSize set 300 s
 *   before each hour (never scaling in), with target tracking as AWS recommends.
 * - `static`: sized for the window's peak from the start.
 * - `oracle`: desired = the most demand within one worst-case lead time ahead.
 */
export async function runPolicy(
  policy: PolicyName,
  scenario: Scenario,
  options: RunPolicyOptions = {},
): Promise<PolicyRun> {
  const { trace, evalStartMs, evalEndMs, targetLoadPerInstance } = scenario;
  const minutes = Math.floor((evalEndMs - evalStartMs) / MINUTE_MS);
  const demandAll: number[] = [];
  for (let k = 0; k < minutes; k += 1)
    demandAll.push(demandInstances(loadTraceAt(trace, evalStartMs + k * MINUTE_MS), targetLoadPerInstance));
  const peakDemand = Math.max(...demandAll);
  const leadMinutes =
    Math.ceil((scenario.launchDelaySeconds + scenario.launchJitterSeconds + scenario.warmupSeconds) / 60) + 1;
  // Everyone starts sized to the load at the start; the oracle already knows the next lead time.
  const initialDemand = policy === 'oracle' ? oracleCapacity(demandAll, 0, leadMinutes) : (demandAll[0] ?? 1);
  const maxSize = Math.max(scenario.maxSize, scenario.minSize);
  const isStatic = policy === 'static';
  const knobs = options.knobs ?? {};
  const staticCapacity = Math.max(1, Math.min(maxSize, knobs.staticCapacity ?? peakDemand));
  const policyTarget = knobs.targetPct ?? targetLoadPerInstance;
  const bufferMs = (knobs.schedulingBufferSeconds ?? PREDICTIVE_BUFFER_MS / 1000) * 1000;
  if (!(policyTarget > 0) || !(bufferMs >= 0 && bufferMs < HOUR_MS && bufferMs % MINUTE_MS === 0)) {
    throw new RangeError(
      `knobs: expected targetPct > 0 and schedulingBufferSeconds a whole minute in [0, 3600), got ${policyTarget} and ${bufferMs / 1000}`,
    );
  }

  const world = new SimulatedWorld({ startMs: evalStartMs, seed: scenario.seed });
  const usesTargetTracking = policy === 'prescale' || policy === 'reactive' || policy === 'ec2-predictive';
  world.createGroup({
    name: GROUP,
    minSize: isStatic ? staticCapacity : scenario.minSize,
    maxSize: isStatic ? staticCapacity : maxSize,
    desiredCapacity: isStatic ? staticCapacity : Math.min(maxSize, Math.max(scenario.minSize, initialDemand)),
    instanceType: scenario.instanceType,
    tags:
      policy === 'prescale'
        ? {
            [GROUP_TAGS.enabled]: 'true',
            ...(knobs.targetPct !== undefined
              ? { [GROUP_TAGS.targetLoadPerInstance]: String(knobs.targetPct) }
              : {}),
            ...(knobs.planningQuantileMax !== undefined
              ? { [GROUP_TAGS.planningQuantileMax]: String(knobs.planningQuantileMax) }
              : {}),
          }
        : {},
    launchDelaySeconds: scenario.launchDelaySeconds,
    launchJitterSeconds: scenario.launchJitterSeconds,
    warmupSeconds: scenario.warmupSeconds,
    warmPoolLaunchSeconds: scenario.warmPoolLaunchSeconds,
    ...(usesTargetTracking
      ? {
          targetTrackingCpu: policy === 'prescale' ? (knobs.trackingTargetPct ?? policyTarget) : policyTarget,
        }
      : {}),
    ...(policy === 'ec2-predictive' ? { predictiveScaling: true } : {}),
    ...(scenario.warmPool
      ? { warmPool: { minSize: 0, maxGroupPreparedCapacity: Math.min(maxSize, initialDemand + 2) } }
      : {}),
  });
  world.seedHistory(GROUP, trace.startMs, evalStartMs, (ms) => loadTraceAt(trace, ms), targetLoadPerInstance);

  const notes: string[] = [];
  const prescale = options.prescale;
  if (policy === 'prescale') {
    if (!prescale) throw new Error('runPolicy("prescale") needs options.prescale (PrescaleLambdas.start)');
    await prescale.attach(world);
  }

  const samples: RunSamples = {
    startMs: evalStartMs,
    load: [],
    demand: [],
    supply: [],
    desired: [],
    minSize: [],
    billed: [],
    warmPoolStopped: [],
  };
  let predictive: { madeAtMs: number; startMs: number; loads: number[] } | undefined;
  const predictivePairs: { timestampMs: number; forecast: number }[] = [];
  let failedItems = 0;
  const handlerErrors: string[] = [];
  const floorMin = scenario.minSize;

  for (let k = 0; k < minutes; k += 1) {
    const t = evalStartMs + k * MINUTE_MS;
    world.advanceTo(t);
    if (policy === 'prescale' && prescale && t % TICK_MS === 0) {
      const tick = await prescale.tick();
      failedItems += tick.failedItems;
      handlerErrors.push(...tick.handlerErrors);
    } else if (policy === 'ec2-predictive') {
      if (t % PREDICTIVE_REFRESH_MS === 0 || predictive === undefined) {
        const forecastStartMs = Math.floor(t / HOUR_MS) * HOUR_MS;
        const history = hourlyLoadFromCloudWatch(
          world,
          forecastStartMs - EC2_PREDICTIVE_DEFAULTS.historyDays * 24 * HOUR_MS,
          forecastStartMs,
        );
        const loads = ec2PredictiveForecast(history, forecastStartMs);
        if (loads.length > 0) predictive = { madeAtMs: t, startMs: forecastStartMs, loads };
      }
      if ((t + bufferMs) % HOUR_MS === 0 && predictive) {
        const hourMs = t + bufferMs;
        const load = predictive.loads[Math.round((hourMs - predictive.startMs) / HOUR_MS)];
        if (load !== undefined) {
          predictivePairs.push({ timestampMs: hourMs, forecast: load });
          const capacity = Math.min(maxSize, Math.max(floorMin, Math.ceil(load / policyTarget - 1e-9)));
          // Predictive scaling raises (or lowers) the minimum; AWS moves desired up to it, never down.
          world.autoScaling.updateAutoScalingGroup(
            { AutoScalingGroupName: GROUP, MinSize: capacity },
            'a predictive scaling forecast',
          );
        }
      }
    } else if (policy === 'oracle') {
      const want = Math.min(maxSize, Math.max(floorMin, oracleCapacity(demandAll, k, leadMinutes)));
      if (want !== world.autoScaling.counts(GROUP).desiredCapacity) {
        world.autoScaling.setDesiredCapacity(
          { AutoScalingGroupName: GROUP, DesiredCapacity: want },
          'the oracle',
        );
      }
    }
    const load = loadTraceAt(trace, t);
    world.recordMinute(GROUP, t, load);
    const c = world.autoScaling.counts(GROUP);
    samples.load.push(load);
    samples.demand.push(demandAll[k] as number);
    samples.supply.push(c.ready);
    samples.desired.push(c.desiredCapacity);
    samples.minSize.push(c.minSize);
    samples.billed.push(c.pending + c.inService + c.warmPoolPending);
    samples.warmPoolStopped.push(c.warmPoolStopped);
    if (options.onProgress && (k + 1) % 60 === 0) options.onProgress((k + 1) / minutes);
  }

  const price = instanceTypeSpec(scenario.instanceType).hourlyPriceUsd;
  const instanceHours = samples.billed.reduce((a, b) => a + b, 0) / 60;
  const stoppedHours = samples.warmPoolStopped.reduce((a, b) => a + b, 0) / 60;
  let scalingActions = 0;
  for (let k = 1; k < samples.desired.length; k += 1)
    if (samples.desired[k] !== samples.desired[k - 1]) scalingActions += 1;
  let sloViolationMinutes = 0;
  samples.load.forEach((load, k) => {
    if (load > (samples.supply[k] as number) * targetLoadPerInstance) sloViolationMinutes += 1;
  });

  // Forecast accuracy and bands, on hourly means of the offered load.
  // Hourly actuals over the whole trace: the MASE scale uses the warm-up history too.
  const hourlyActual = new Map<number, number>();
  for (let h = Math.ceil(trace.startMs / HOUR_MS) * HOUR_MS; h + HOUR_MS <= evalEndMs; h += HOUR_MS) {
    let sum = 0;
    for (let m = 0; m < 60; m += 1) sum += loadTraceAt(trace, h + m * MINUTE_MS);
    hourlyActual.set(h, sum / 60);
  }
  let forecast: PolicySummary['forecast'];
  let band: ForecastBand | undefined;
  if (policy === 'ec2-predictive') {
    const pairs = predictivePairs.flatMap((p) => {
      const actual = hourlyActual.get(p.timestampMs);
      return actual === undefined ? [] : [{ ...p, actual }];
    });
    const accuracy = forecastAccuracy(pairs, hourlyActual, 24 * HOUR_MS);
    if (accuracy) forecast = { ...accuracy, horizon: 'hourly mean, 1–6 h ahead (6-hourly refresh)' };
    band = {
      timestampsMs: pairs.map((p) => p.timestampMs),
      median: pairs.map((p) => p.forecast),
      planned: pairs.map((p) => p.forecast),
    };
  }
  if (policy === 'prescale' && prescale) {
    const records = await prescale.runRecords(GROUP, evalStartMs);
    const pairs: { timestampMs: number; forecast: number; actual: number }[] = [];
    band = { timestampsMs: [], median: [], planned: [] };
    for (const r of records) {
      const stepMs = r.stepSeconds * 1000;
      const i = Math.floor((r.tickMs - r.forecastStartMs) / stepMs);
      const median = r.medianLoad[i];
      const planned = r.plannedLoad[i];
      if (median === undefined || planned === undefined) continue;
      band.timestampsMs.push(r.tickMs);
      band.median.push(median);
      band.planned.push(planned);
      const stepStart = r.forecastStartMs + i * stepMs;
      if (stepMs === HOUR_MS && r.tickMs === stepStart) {
        const actual = hourlyActual.get(stepStart);
        if (actual !== undefined) pairs.push({ timestampMs: stepStart, forecast: median, actual });
      } else if (stepMs < HOUR_MS && r.tickMs === stepStart) {
        let sum = 0;
        const n = stepMs / MINUTE_MS;
        for (let m = 0; m < n; m += 1) sum += loadTraceAt(trace, stepStart + m * MINUTE_MS);
        pairs.push({ timestampMs: stepStart, forecast: median, actual: sum / n });
      }
    }
    const stepMs = (records[0]?.stepSeconds ?? 3600) * 1000;
    const actualByStep = new Map<number, number>();
    if (stepMs < HOUR_MS) {
      for (let s = Math.ceil(trace.startMs / stepMs) * stepMs; s + stepMs <= evalEndMs; s += stepMs) {
        let sum = 0;
        for (let m = 0; m < stepMs / MINUTE_MS; m += 1) sum += loadTraceAt(trace, s + m * MINUTE_MS);
        actualByStep.set(s, sum / (stepMs / MINUTE_MS));
      }
    }
    const actualAt = stepMs < HOUR_MS ? actualByStep : hourlyActual;
    const accuracy = forecastAccuracy(pairs, actualAt, 24 * HOUR_MS);
    const stepText = records[0] ? `${records[0].stepSeconds / 60}-min` : 'step';
    const peaks = dailyPeakAccuracy(dayAheadForecasts(records, actualAt, evalStartMs, evalEndMs));
    if (accuracy)
      forecast = {
        ...accuracy,
        horizon: `${stepText} mean of the step starting at each tick (p50)`,
        ...(peaks ? { peaks } : {}),
      };
    notes.push(`${records.length} run records`);
    notes.push(
      `forecast cache: ${prescale.forecastStats.hits} hits, ${prescale.forecastStats.misses} computed`,
    );
    if (failedItems > 0) notes.push(`${failedItems} work item(s) reported failed by the worker`);
    if (handlerErrors.length > 0)
      notes.push(`${handlerErrors.length} handler error(s), first: ${handlerErrors[0]}`);
  }

  const elasticity = elasticityMetrics(samples.demand, samples.supply);
  return {
    summary: {
      name: policy,
      ...elasticity,
      sloViolationMinutes,
      instanceHours,
      costUsd: instanceHours * price + stoppedHours * STOPPED_HOURLY_PRICE_USD,
      scalingActions,
      ...(forecast ? { forecast } : {}),
    },
    samples,
    ...(band ? { band } : {}),
    notes,
  };
}

/**
 * Each whole UTC day of the evaluated window as Prescale saw it a day ahead: the first run record
 * of the day (within its first hour) and its 24 h horizon, with the step means that arrived and
 * those one day earlier. Days whose actuals are incomplete are left out.
 */
function dayAheadForecasts(
  records: readonly RunRecord[],
  actualAt: ReadonlyMap<number, number>,
  evalStartMs: number,
  evalEndMs: number,
): ForecastDay[] {
  const days: ForecastDay[] = [];
  const sorted = [...records].sort((a, b) => a.tickMs - b.tickMs);
  for (let day = Math.ceil(evalStartMs / DAY_MS) * DAY_MS; day + DAY_MS <= evalEndMs; day += DAY_MS) {
    const record = sorted.find((r) => r.tickMs >= day);
    if (!record || record.tickMs >= day + HOUR_MS) continue;
    const stepMs = record.stepSeconds * 1000;
    const steps = Math.min(record.medianLoad.length, Math.round(DAY_MS / stepMs));
    const at = (h: number) => record.forecastStartMs + h * stepMs;
    const actual = Array.from({ length: steps }, (_, h) => actualAt.get(at(h)));
    const dayBefore = Array.from({ length: steps }, (_, h) => actualAt.get(at(h) - DAY_MS));
    if (steps === 0 || [...actual, ...dayBefore].some((v) => v === undefined)) continue;
    const peak = record.dailyPeaks?.[0];
    days.push({
      median: record.medianLoad.slice(0, steps),
      ...(peak ? { peakLoad: peak.peakLoad } : {}),
      planned: record.plannedLoad.slice(0, steps),
      actual: actual as number[],
      dayBefore: dayBefore as number[],
      stepSeconds: record.stepSeconds,
    });
  }
  return days;
}
