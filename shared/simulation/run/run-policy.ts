import { elasticityMetrics } from '../evaluation/elasticity-metrics';
import { loadTraceAt } from '../load/load-trace';
import { demandInstances, foresightDemand, oracleCapacity } from '../policies/oracle-capacity';
import { instanceTypeSpec, STOPPED_HOURLY_PRICE_USD } from '../world/instance-types';
import { worldMetricDelay } from '../world/metric-publication';
import { SimulatedWorld } from '../world/simulated-world';
import { failedLookAheadActions } from './failed-look-ahead-actions';
import {
  evaluateHourlyForecasts,
  evaluateRunRecords,
  type ForecastEvaluation,
  stepMeanLoads,
} from './forecast-evaluation';
import {
  type HourlyForecast,
  type MinuteController,
  minuteController,
  type PredictiveRefresh,
  type PrescaleTicks,
} from './minute-controller';
import { createPolicyGroup } from './policy-group';
import type { PolicyName } from './policy-name';
import type { PolicyKnobs, PolicyRun, PolicySummary, RunSamples } from './policy-run';
import { provisionPrescaleHistory } from './prescale-history';
import type { PrescaleLambdas } from './prescale-lambdas';
import { burnInMinutesOf, type Scenario } from './scenario';

/** Extra inputs of a run. */
export interface RunPolicyOptions {
  /** The policy's knob setting; @default the defaults each knob documents. */
  readonly knobs?: PolicyKnobs;
  /** Required for `prescale`: the loaded handlers. */
  readonly prescale?: PrescaleLambdas;
  /** Called every simulated hour with the share done (0–1). */
  readonly onProgress?: (done: number) => void;
  /**
   * prescale: throw `PrescaleRunError` when any tick's handlers failed or its worker reported a
   * failed work item (a world that cannot answer what the configuration reads, for one), instead
   * of noting it: the run's point would be target tracking's, not Prescale's. @default false
   */
  readonly failOnPrescaleErrors?: boolean;
}

/**
 * A Prescale run whose handlers failed, or one of whose scheduled actions Auto Scaling could not
 * apply when it fired (`RunPolicyOptions.failOnPrescaleErrors`).
 */
export class PrescaleRunError extends Error {
  override readonly name = 'PrescaleRunError';
  constructor(
    readonly failedItems: number,
    readonly handlerErrors: readonly string[],
    /** `failedLookAheadActions`: Prescale's scheduled actions that failed when they fired. */
    readonly failedActions: readonly string[] = [],
  ) {
    super(
      `Prescale's handlers failed in the run: ${failedItems} failed work item(s), ${handlerErrors.length} handler error(s)${handlerErrors[0] ? `, first: ${handlerErrors[0]}` : ''}, ${failedActions.length} scheduled action(s) failed when they fired${failedActions[0] ? `, first: ${failedActions[0]}` : ''}`,
    );
  }
}

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const GROUP = 'web';
/** EC2 predictive scaling launches capacity this long before each forecast hour (SchedulingBufferTime). */
const PREDICTIVE_BUFFER_MS = 300_000;

/** The oracle's demand per minute: at its own target, as finely as its foresight sees the load. */
function oracleDemandOf(
  scenario: Scenario,
  knobs: PolicyKnobs,
  policyTarget: number,
  demandAtSlo: readonly number[],
  startMs: number,
): readonly number[] {
  const foresightMinutes = knobs.foresightMinutes ?? 1;
  if (policyTarget === scenario.targetLoadPerInstance && foresightMinutes === 1) return demandAtSlo;
  const loads = demandAtSlo.map((_, k) => loadTraceAt(scenario.trace, startMs + k * MINUTE_MS));
  return foresightDemand(loads, policyTarget, foresightMinutes);
}

/**
 * The run minute by minute from the start of its burn-in: lifecycle and scheduled actions advance,
 * the controller acts, the minute's load becomes CloudWatch metrics, and from the evaluated
 * window's start on, supply and demand are sampled.
 */
async function sampleMinutes(
  world: SimulatedWorld,
  controller: MinuteController | undefined,
  scenario: Scenario,
  demandAtSlo: readonly number[],
  burnIn: number,
  onProgress: ((done: number) => void) | undefined,
): Promise<RunSamples> {
  const { trace, evalStartMs } = scenario;
  const minutes = demandAtSlo.length;
  const samples = emptySamples(evalStartMs);
  for (let k = -burnIn; k < minutes; k += 1) {
    const t = evalStartMs + k * MINUTE_MS;
    world.advanceTo(t);
    if (controller) await controller.act(t);
    const load = loadTraceAt(trace, t);
    world.recordMinute(GROUP, t, load);
    if (k < 0) continue;
    const c = world.autoScaling.counts(GROUP);
    samples.load.push(load);
    samples.demand.push(demandAtSlo[k] as number);
    samples.supply.push(c.ready);
    samples.desired.push(c.desiredCapacity);
    samples.minSize.push(c.minSize);
    // A Running pool's instances are billed as instances; Stopped and Hibernated ones for their volumes.
    samples.billed.push(c.pending + c.inService + c.terminating + c.warmPoolPending + c.warmPoolRunning);
    samples.warmPoolStopped.push(c.warmPoolStopped);
    if (onProgress && (k + 1) % 60 === 0) onProgress((k + 1) / minutes);
  }
  return samples;
}

/**
 * Forecast accuracy and bands on the offered load's step means over the whole trace: Prescale's
 * from its run records, ec2-predictive's from its hourly forecasts; Prescale's run notes.
 */
async function evaluateForecasts(
  scenario: Scenario,
  prescale: PrescaleLambdas | undefined,
  ticks: PrescaleTicks,
  predictiveForecasts: readonly HourlyForecast[] | undefined,
): Promise<{ evaluation: ForecastEvaluation | undefined; notes: string[] }> {
  const { trace, evalStartMs, evalEndMs } = scenario;
  const hourlyActual = stepMeanLoads(trace, HOUR_MS, evalEndMs);
  const notes: string[] = [];
  if (predictiveForecasts)
    return { evaluation: evaluateHourlyForecasts(predictiveForecasts, hourlyActual), notes };
  if (!prescale) return { evaluation: undefined, notes };
  const records = await prescale.runRecords(GROUP, evalStartMs);
  notes.push(`${records.length} run records`);
  notes.push(
    `forecast cache: ${prescale.forecastStats.hits} hits, ${prescale.forecastStats.misses} computed`,
  );
  if (ticks.failedItems > 0) notes.push(`${ticks.failedItems} work item(s) reported failed by the worker`);
  if (ticks.handlerErrors.length > 0)
    notes.push(`${ticks.handlerErrors.length} handler error(s), first: ${ticks.handlerErrors[0]}`);
  return { evaluation: evaluateRunRecords(records, trace, hourlyActual, evalStartMs, evalEndMs), notes };
}

/** How often each weekly weight forecast, e.g. "weekly weight by 6-hourly refresh (chosen by): 0.5 × 4 (fallback), 1 × 20 (backtest)". */
function predictiveRefreshNote(refreshes: readonly PredictiveRefresh[]): string {
  const counts = new Map<string, { refresh: PredictiveRefresh; n: number }>();
  for (const refresh of refreshes) {
    const key = `${refresh.weeklyWeight} ${refresh.chosenBy}`;
    counts.set(key, { refresh, n: (counts.get(key)?.n ?? 0) + 1 });
  }
  const parts = [...counts.values()]
    .sort(
      (a, b) =>
        a.refresh.weeklyWeight - b.refresh.weeklyWeight ||
        a.refresh.chosenBy.localeCompare(b.refresh.chosenBy),
    )
    .map(({ refresh, n }) => `${refresh.weeklyWeight} × ${n} (${refresh.chosenBy})`);
  return `weekly weight by 6-hourly refresh (chosen by): ${parts.join(', ')}`;
}

/** Cost and SLO figures of a run's samples (elasticity metrics and forecasts come separately). */
function costAndSlo(
  samples: RunSamples,
  scenario: Scenario,
): Pick<PolicySummary, 'sloViolationMinutes' | 'instanceHours' | 'costUsd' | 'scalingActions'> {
  const price = instanceTypeSpec(scenario.instanceType).hourlyPriceUsd;
  const instanceHours = samples.billed.reduce((a, b) => a + b, 0) / 60;
  const stoppedHours = samples.warmPoolStopped.reduce((a, b) => a + b, 0) / 60;
  let scalingActions = 0;
  for (let k = 1; k < samples.desired.length; k += 1)
    if (samples.desired[k] !== samples.desired[k - 1]) scalingActions += 1;
  let sloViolationMinutes = 0;
  samples.load.forEach((load, k) => {
    if (load > (samples.supply[k] as number) * scenario.targetLoadPerInstance) sloViolationMinutes += 1;
  });
  return {
    sloViolationMinutes,
    instanceHours,
    costUsd: instanceHours * price + stoppedHours * STOPPED_HOURLY_PRICE_USD,
    scalingActions,
  };
}

/** Validates and resolves a run's knobs against its scenario. @throws RangeError on a bad knob. */
function resolveKnobs(scenario: Scenario, knobs: PolicyKnobs, peakDemand: number) {
  const maxSize = Math.max(scenario.maxSize, scenario.minSize);
  const staticCapacity = Math.max(1, Math.min(maxSize, knobs.staticCapacity ?? peakDemand));
  const policyTarget = knobs.targetPct ?? scenario.targetLoadPerInstance;
  const bufferMs = (knobs.schedulingBufferSeconds ?? PREDICTIVE_BUFFER_MS / 1000) * 1000;
  if (!(policyTarget > 0) || !(bufferMs >= 0 && bufferMs < HOUR_MS && bufferMs % MINUTE_MS === 0)) {
    throw new RangeError(
      `knobs: expected targetPct > 0 and schedulingBufferSeconds a whole minute in [0, 3600), got ${policyTarget} and ${bufferMs / 1000}`,
    );
  }
  return { maxSize, staticCapacity, policyTarget, bufferMs };
}

function emptySamples(startMs: number): RunSamples {
  return {
    startMs,
    load: [],
    demand: [],
    supply: [],
    desired: [],
    minSize: [],
    billed: [],
    warmPoolStopped: [],
  };
}

/** A run's demand and sizing, resolved before its world exists. */
interface RunPlan {
  readonly burnIn: number;
  readonly startMs: number;
  /** Instances the load needs, per minute of the evaluated window. */
  readonly demandAll: readonly number[];
  readonly leadMinutes: number;
  readonly maxSize: number;
  readonly staticCapacity: number;
  readonly policyTarget: number;
  readonly bufferMs: number;
  readonly oracleDemand: readonly number[];
  readonly initialDemand: number;
}

/** Demand per minute, the worst-case lead time and the resolved knobs. @throws RangeError on a bad knob. */
function planRun(policy: PolicyName, scenario: Scenario, knobs: PolicyKnobs): RunPlan {
  const { trace, evalStartMs, evalEndMs, targetLoadPerInstance } = scenario;
  const burnIn = burnInMinutesOf(scenario);
  const startMs = evalStartMs - burnIn * MINUTE_MS;
  const minutes = Math.floor((evalEndMs - evalStartMs) / MINUTE_MS);
  // From the burn-in's start: the oracle's foresight and everyone's starting size read it.
  const demandFromStart: number[] = [];
  for (let k = -burnIn; k < minutes; k += 1)
    demandFromStart.push(
      demandInstances(loadTraceAt(trace, evalStartMs + k * MINUTE_MS), targetLoadPerInstance),
    );
  const demandAll = demandFromStart.slice(burnIn);
  const leadMinutes =
    Math.ceil((scenario.launchDelaySeconds + scenario.launchJitterSeconds + scenario.warmupSeconds) / 60) + 1;
  const { maxSize, staticCapacity, policyTarget, bufferMs } = resolveKnobs(
    scenario,
    knobs,
    Math.max(...demandAll),
  );
  const oracleDemand =
    policy === 'oracle'
      ? oracleDemandOf(scenario, knobs, policyTarget, demandFromStart, startMs)
      : demandFromStart;
  // Everyone starts sized to the load at the start; the oracle already knows the next lead time.
  const initialDemand =
    policy === 'oracle' ? oracleCapacity(oracleDemand, 0, leadMinutes) : (demandFromStart[0] ?? 1);
  return {
    burnIn,
    startMs,
    demandAll,
    leadMinutes,
    maxSize,
    staticCapacity,
    policyTarget,
    bufferMs,
    oracleDemand,
    initialDemand,
  };
}

/** A fresh world at the burn-in's start with the policy's group and its history; Prescale attached. */
async function prepareWorld(
  policy: PolicyName,
  scenario: Scenario,
  knobs: PolicyKnobs,
  plan: RunPlan,
  prescale: PrescaleLambdas | undefined,
): Promise<SimulatedWorld> {
  const { trace, targetLoadPerInstance } = scenario;
  const { startMs, maxSize, initialDemand, staticCapacity, policyTarget } = plan;
  const world = new SimulatedWorld({
    startMs,
    seed: scenario.seed,
    ...worldMetricDelay(scenario.metricDelayMinutes),
  });
  createPolicyGroup(world, GROUP, policy, scenario, knobs, {
    maxSize,
    initialDemand,
    staticCapacity,
    policyTarget,
  });
  world.seedHistory(GROUP, trace.startMs, startMs, (ms) => loadTraceAt(trace, ms), targetLoadPerInstance);
  if (policy === 'prescale') {
    if (!prescale) throw new Error('runPolicy("prescale") needs options.prescale (PrescaleLambdas.start)');
    provisionPrescaleHistory(world, scenario.prescaleHistory ?? 'cloudwatch-cpu');
    await prescale.attach(world);
  }
  return world;
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
  const knobs = options.knobs ?? {};
  const plan = planRun(policy, scenario, knobs);
  const prescale = options.prescale;
  const world = await prepareWorld(policy, scenario, knobs, plan, prescale);
  const ticks: PrescaleTicks = { failedItems: 0, handlerErrors: [] };
  const predictiveForecasts: HourlyForecast[] = [];
  const predictiveRefreshes: PredictiveRefresh[] = [];
  const controller = minuteController(
    policy,
    world,
    { ...plan, group: GROUP, minSize: scenario.minSize },
    prescale,
    { ticks, predictiveForecasts, predictiveRefreshes },
  );

  const samples = await sampleMinutes(
    world,
    controller,
    scenario,
    plan.demandAll,
    plan.burnIn,
    options.onProgress,
  );
  const failedActions = policy === 'prescale' ? failedLookAheadActions(world, [GROUP]) : [];
  if (
    options.failOnPrescaleErrors &&
    (ticks.failedItems > 0 || ticks.handlerErrors.length > 0 || failedActions.length > 0)
  )
    throw new PrescaleRunError(ticks.failedItems, ticks.handlerErrors, failedActions);
  const { evaluation, notes } = await evaluateForecasts(
    scenario,
    policy === 'prescale' ? prescale : undefined,
    ticks,
    policy === 'ec2-predictive' ? predictiveForecasts : undefined,
  );
  if (policy === 'ec2-predictive' && predictiveRefreshes.length > 0)
    notes.push(predictiveRefreshNote(predictiveRefreshes));
  if (failedActions.length > 0)
    notes.push(
      `${failedActions.length} scheduled action(s) of Prescale failed when they fired, first: ${failedActions[0]}`,
    );
  return {
    summary: {
      name: policy,
      ...elasticityMetrics(samples.demand, samples.supply),
      ...costAndSlo(samples, scenario),
      ...(evaluation?.forecast ? { forecast: evaluation.forecast } : {}),
    },
    samples,
    ...(evaluation ? { band: evaluation.band } : {}),
    notes,
  };
}
