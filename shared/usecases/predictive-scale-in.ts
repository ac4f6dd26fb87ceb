import { CPU_PERCENT_CEILING, isCpuPercentLoad } from '../contracts/group-settings-checks';
import type { UserConfig } from '../contracts/user-config';
import type { LoadObservation } from '../core/forecast/types';
import { DEFAULT_QUANTILE_CONTROLLER } from '../core/planning/adapt-planning-quantile';
import { learnScaleInWindow, type ScaleInWindowInput } from '../core/planning/learn-scale-in-window';
import { type ScaleInHeadroomChoice, scaleInHeadroom } from '../core/planning/scale-in-headroom';
import type { ResolvedGroupSettings } from './resolve-group-settings';
import type { LoadGridPlace, ScaleInWindowLearner } from './warm-scale-in-window';

/**
 * The load per instance at which the group's metric saturates, when it does above the target:
 * the `saturatedLoadPerInstance` setting, or when unset 100 for a load that is CloudWatch's CPU
 * percentage (`isCpuPercentLoad`, the rule synth holds the target to: a Timestream measure is read
 * in its own unit whatever the kind says), none for any other. From k instances
 * one return of the policy then reaches at most ⌈k × saturated / target⌉; a metric of the offered
 * load grows with it and brings any capacity back in one return (an empty result).
 */
export function saturationOf(
  settings: Pick<
    ResolvedGroupSettings['settings'],
    'metric' | 'saturatedLoadPerInstance' | 'targetLoadPerInstance'
  >,
  historySource: UserConfig['historySource'],
): { readonly saturatedLoadPerInstance?: number } {
  const setting = settings.saturatedLoadPerInstance;
  // An overloaded group's CPU reads at most 100 % per instance: it under-reports its load.
  const cpuSaturation = isCpuPercentLoad(historySource, settings.metric) ? CPU_PERCENT_CEILING : undefined;
  const saturated = setting === undefined ? cpuSaturation : setting;
  // At or below the target (a tag may raise the target past it) the metric shows no climb to wait for.
  return typeof saturated === 'number' && saturated > settings.targetLoadPerInstance
    ? { saturatedLoadPerInstance: saturated }
    : {};
}

/** Learns the scale-in window of one group's history grid (the learner bound to its place). */
export type ScaleInWindowLearn = (input: ScaleInWindowInput) => ReturnType<typeof learnScaleInWindow>;

/** Predictive scale-in as one run of a group serves it. */
export interface PredictiveScaleIn {
  /** The window the run reads its recent peak over, in ms. */
  readonly windowMs: number;
  /** Whether that window is the longer one learned for the hold after a launch. */
  readonly heldAfterLaunch: boolean;
  /** The capacity to take back now after a deep release the load came back into; 0 when none. */
  readonly regainCapacity: number;
  /** The share of the target the run serves its peak at, as backtested on the history. */
  readonly headroom: ScaleInHeadroomChoice;
  /** The history's peak over the newest window; undefined when the window holds no finite observation. */
  readonly peakLoad: number | undefined;
}

/**
 * Predictive scale-in for this run: its window (`scaleInWindow`), the share of the target it
 * serves the window's peak at (`groupScaleInHeadroom`), and that peak over the history's newest
 * window (undefined when the window holds no finite observation).
 */
export function predictiveScaleIn(
  settings: ResolvedGroupSettings['settings'],
  historySource: UserConfig['historySource'],
  grid: readonly number[],
  history: readonly LoadObservation[],
  returnMs: number,
  bursty: boolean,
  learn: ScaleInWindowLearn,
): PredictiveScaleIn {
  // Below its SLO, a group whose history never needed predictive scale-in's headroom goes without it.
  const headroom = groupScaleInHeadroom(settings, grid, returnMs);
  const window = scaleInWindow(settings, historySource, grid, returnMs, bursty, learn);
  return { ...window, headroom, peakLoad: recentPeak(history, window.windowMs) };
}

/**
 * The window of predictive scale-in, in ms, and whether it is the hold after a launch: learned from the history's burst spacing
 * (`learnScaleInWindow`) over the whole metric steps from `scaleInAheadWindowMinutes` to
 * `scaleInAheadMaxWindowMinutes`, or the shortest when that range holds one window; on a
 * bursty group (`burstFloor`) the longest, the hold of the group's own policy. Within the hold
 * after a launch (the newest steps rose above what the hold before them kept), the window learned
 * over the history's releases made there (`afterLaunch`), never shorter. And the capacity to take
 * back now (`regainCapacity`, 0 when none): where the group's deep releases under its saturating
 * CPU metric cost more than they save, what the hold kept before one the load has just come back
 * into (`learnScaleInWindow`'s `deepFall`).
 */
function scaleInWindow(
  settings: ResolvedGroupSettings['settings'],
  historySource: UserConfig['historySource'],
  grid: readonly number[],
  returnMs: number,
  bursty: boolean,
  learn: ScaleInWindowLearn,
): { readonly windowMs: number; readonly heldAfterLaunch: boolean; readonly regainCapacity: number } {
  const stepMs = settings.stepSeconds * 1000;
  const shortestSteps = Math.floor((settings.scaleInAheadWindowMinutes * 60_000) / stepMs);
  const longestSteps = Math.max(
    shortestSteps,
    Math.floor((settings.scaleInAheadMaxWindowMinutes * 60_000) / stepMs),
  );
  // Bursts return within the hour: release only what the policy's own hold would.
  if (bursty) return { windowMs: longestSteps * stepMs, heldAfterLaunch: false, regainCapacity: 0 };
  if (longestSteps === shortestSteps)
    return { windowMs: shortestSteps * stepMs, heldAfterLaunch: false, regainCapacity: 0 };
  const windowSteps = Array.from({ length: longestSteps - shortestSteps + 1 }, (_, i) => shortestSteps + i);
  const learned = learn({
    loadPerStep: grid,
    targetLoadPerInstance: settings.targetLoadPerInstance,
    ...(settings.sloLoadPerInstance !== undefined ? { sloLoadPerInstance: settings.sloLoadPerInstance } : {}),
    ...saturationOf(settings, historySource),
    targetRatio: settings.scaleInAheadTargetRatio,
    returnSteps: Math.max(1, Math.ceil(returnMs / stepMs)),
    windowSteps,
    maxRegretShare: settings.scaleInAheadMaxRegretShare,
  });
  // Within the hold after a launch, the window learned over the releases made there.
  const heldAfterLaunch = learned.launchedWithinHold && learned.afterLaunch.windowSteps > learned.windowSteps;
  return {
    windowMs: (heldAfterLaunch ? learned.afterLaunch.windowSteps : learned.windowSteps) * stepMs,
    heldAfterLaunch,
    // The load came back into a deep release whose like costs more than it saves: take it back.
    regainCapacity: learned.deepFall.regainCapacity,
  };
}

/**
 * The share of the target predictive scale-in serves its recent peak at (`scaleInHeadroom`):
 * `scaleInAheadTargetRatio`, or for a group whose target sits below its SLO and whose history's
 * leaner releases (the peak at that share of the SLO, capped at the target) needed the headroom
 * back within the lead time plus a tick no more often than the SLO budget allows, the lean one.
 * Backtested over the shortest window, whose releases are the leanest predictive scale-in makes.
 */
function groupScaleInHeadroom(
  settings: ResolvedGroupSettings['settings'],
  grid: readonly number[],
  returnMs: number,
): ScaleInHeadroomChoice {
  const stepMs = settings.stepSeconds * 1000;
  return scaleInHeadroom({
    loadPerStep: grid,
    targetLoadPerInstance: settings.targetLoadPerInstance,
    ...(settings.sloLoadPerInstance !== undefined ? { sloLoadPerInstance: settings.sloLoadPerInstance } : {}),
    targetRatio: settings.scaleInAheadTargetRatio,
    returnSteps: Math.max(1, Math.ceil(returnMs / stepMs)),
    windowSteps: Math.max(1, Math.floor((settings.scaleInAheadWindowMinutes * 60_000) / stepMs)),
    maxRegretShare: DEFAULT_QUANTILE_CONTROLLER.shortfallBudget,
  });
}

/** `learnScaleInWindow`, which needs no place. */
export const plainLearner: ScaleInWindowLearner = (input: ScaleInWindowInput, _place: LoadGridPlace) =>
  learnScaleInWindow(input);

/** The highest finite load of the observations within `windowMs` of the newest one. */
function recentPeak(history: readonly LoadObservation[], windowMs: number): number | undefined {
  let newestMs = Number.NEGATIVE_INFINITY;
  for (const o of history) if (Number.isFinite(o.value)) newestMs = Math.max(newestMs, o.timestampMs);
  let peak: number | undefined;
  for (const o of history) {
    if (Number.isFinite(o.value) && o.timestampMs > newestMs - windowMs) peak = Math.max(peak ?? 0, o.value);
  }
  return peak;
}
