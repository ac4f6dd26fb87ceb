import { healthyCapacity, instancesForLoad } from './types';

/** A load forecast as the window choice reads it: one p90 value per step. */
export interface UpperLoadForecast {
  readonly startMs: number;
  readonly stepSeconds: number;
  /** Predicted p90 load per step, in the group's load unit. */
  readonly upperLoad: readonly number[];
}

/** Input of {@link chooseWindow}. */
export interface WindowInput {
  readonly nowMs: number;
  /** Latest time the refresh may start; past it the request is deferred. */
  readonly deadlineMs: number;
  /** Start at once, whatever the forecast says. */
  readonly force: boolean;
  readonly forecast: UpperLoadForecast;
  /** Estimated refresh duration. */
  readonly durationSeconds: number;
  /** Headroom may raise desired capacity up to here. */
  readonly maxSize: number;
  readonly minHealthyPercentage: number;
  readonly targetLoadPerInstance: number;
  /** Longest single wait before the forecast is made again. @default 3600 */
  readonly maxWaitSeconds?: number;
  /**
   * Shortest wait between looks, so a window that keeps opening a step away and closing again
   * cannot make the looks outgrow the execution's history. @default 1
   */
  readonly minWaitSeconds?: number;
  /**
   * The refresh starts no earlier than this, for the reason given (a change due on the group that
   * the refresh must not meet); `force` starts anyway.
   */
  readonly notBefore?: { readonly atMs: number; readonly reason: string };
}

/** Start now, wait and look again, or give up for this request. */
export type WindowDecision =
  | {
      readonly kind: 'proceed';
      readonly reason: string;
      /** Predicted p90 peak over the refresh from now. */
      readonly peakLoad: number;
    }
  | {
      readonly kind: 'wait';
      readonly reason: string;
      readonly waitSeconds: number;
      /** When the first fitting window starts, when one was found. */
      readonly windowStartMs?: number;
    }
  | { readonly kind: 'defer'; readonly reason: string };

/** Peak of the forecast over [fromMs, fromMs + durationSeconds); undefined when no step covers it. */
function peakOver(forecast: UpperLoadForecast, fromMs: number, durationSeconds: number): number | undefined {
  const stepMs = forecast.stepSeconds * 1000;
  const first = Math.max(0, Math.floor((fromMs - forecast.startMs) / stepMs));
  const last = Math.min(
    forecast.upperLoad.length - 1,
    Math.ceil((fromMs + Math.max(1, durationSeconds) * 1000 - forecast.startMs) / stepMs) - 1,
  );
  if (first > last) return undefined;
  let peak = 0;
  for (let i = first; i <= last; i += 1) peak = Math.max(peak, forecast.upperLoad[i] ?? 0);
  return peak;
}

const iso = (ms: number) => new Date(ms).toISOString();
const round = (v: number) => Math.round(v * 100) / 100;

/**
 * Chooses when to start a refresh. A start time fits when the predicted p90 peak over the whole
 * refresh can be carried by the capacity that stays healthy (desired × MinHealthyPercentage) with
 * headroom of at most MaxSize. Proceeds now when now fits (or `force`); otherwise waits for the
 * first fitting start before the deadline (at most `maxWaitSeconds` at a time, so the forecast is
 * renewed); defers when the deadline has passed or no start before it fits.
 */
export function chooseWindow(input: WindowInput): WindowDecision {
  const { nowMs, deadlineMs, forecast } = input;
  const healthyAtMax = healthyCapacity(input.maxSize, input.minHealthyPercentage);
  const capacityText = `${healthyAtMax} instance(s) stay healthy at MaxSize ${input.maxSize} with ${input.minHealthyPercentage}% min healthy`;
  const fits = (peak: number) => instancesForLoad(peak, input.targetLoadPerInstance) <= healthyAtMax;
  const peakNow = peakOver(forecast, nowMs, input.durationSeconds) ?? 0;

  if (input.force) {
    return { kind: 'proceed', reason: 'forced: started without waiting for a window', peakLoad: peakNow };
  }
  if (nowMs > deadlineMs) {
    return {
      kind: 'defer',
      reason: `deadline ${iso(deadlineMs)} passed before a low-load window was found (${capacityText})`,
    };
  }
  const { notBefore } = input;
  if (notBefore !== undefined && nowMs < notBefore.atMs) return waitUntil(input, notBefore, fits);
  if (fits(peakNow)) {
    return {
      kind: 'proceed',
      reason: `predicted p90 peak ${round(peakNow)} over the next ${input.durationSeconds}s fits: ${capacityText}`,
      peakLoad: peakNow,
    };
  }
  const windowStartMs = firstFittingStart(input, nowMs, fits);
  if (windowStartMs !== undefined) {
    return {
      kind: 'wait',
      reason: `predicted p90 peak ${round(peakNow)} is too high now (${capacityText}); a window opens at ${iso(windowStartMs)}`,
      waitSeconds: waitSecondsUntil(input, windowStartMs),
      windowStartMs,
    };
  }
  const forecastEndMs = forecast.startMs + forecast.upperLoad.length * forecast.stepSeconds * 1000;
  if (deadlineMs < forecastEndMs) {
    return {
      kind: 'defer',
      reason: `no low-load window before the deadline ${iso(deadlineMs)}: the predicted p90 peak over a ${input.durationSeconds}s refresh stays above what ${capacityText} carry`,
    };
  }
  // The deadline lies beyond the forecast: wait and forecast again.
  const waitSeconds = waitSecondsUntil(input, deadlineMs);
  return {
    kind: 'wait',
    reason: `predicted p90 peak ${round(peakNow)} is too high (${capacityText}) and no window shows before ${iso(forecastEndMs)}; forecasting again later`,
    waitSeconds,
  };
}

/**
 * The wait until `untilMs`: at most `maxWaitSeconds` (default an hour, so the forecast is renewed),
 * at least `minWaitSeconds` (default 1) so the looks stay apart.
 */
function waitSecondsUntil(input: WindowInput, untilMs: number): number {
  const maxWaitSeconds = input.maxWaitSeconds ?? 3600;
  const minWaitSeconds = Math.min(maxWaitSeconds, Math.max(1, input.minWaitSeconds ?? 1));
  return Math.max(minWaitSeconds, Math.min(maxWaitSeconds, Math.ceil((untilMs - input.nowMs) / 1000)));
}

/** The first forecast step after `fromMs` (and before the deadline) whose refresh fits, if any. */
function firstFittingStart(
  input: WindowInput,
  fromMs: number,
  fits: (peak: number) => boolean,
): number | undefined {
  const { forecast } = input;
  const stepMs = forecast.stepSeconds * 1000;
  const forecastEndMs = forecast.startMs + forecast.upperLoad.length * stepMs;
  const first = forecast.startMs + Math.max(1, Math.ceil((fromMs - forecast.startMs) / stepMs)) * stepMs;
  for (let t = first; t <= input.deadlineMs && t < forecastEndMs; t += stepMs) {
    const peak = peakOver(forecast, t, input.durationSeconds);
    if (peak !== undefined && fits(peak)) return t;
  }
  return undefined;
}

/**
 * Before `notBefore`: defers when it falls past the deadline, else waits for it, or for the first
 * fitting start after it when the forecast shows one (at most `maxWaitSeconds` at a time, and never
 * past the deadline: the next look then still starts the refresh, where `minWaitSeconds` alone
 * would carry it past and defer it as if no window had fitted).
 */
function waitUntil(
  input: WindowInput,
  notBefore: NonNullable<WindowInput['notBefore']>,
  fits: (peak: number) => boolean,
): WindowDecision {
  const { nowMs, deadlineMs } = input;
  if (notBefore.atMs > deadlineMs)
    return {
      kind: 'defer',
      reason: `${notBefore.reason}, after the deadline ${iso(deadlineMs)}: the refresh may not start before then; request it again after ${iso(notBefore.atMs)}, or with force`,
    };
  const atFits = fits(peakOver(input.forecast, notBefore.atMs, input.durationSeconds) ?? 0);
  const windowStartMs = atFits ? notBefore.atMs : firstFittingStart(input, notBefore.atMs, fits);
  const untilMs = windowStartMs ?? notBefore.atMs;
  return {
    kind: 'wait',
    reason: `${notBefore.reason}: the refresh starts after it${windowStartMs !== undefined ? `; a window opens at ${iso(windowStartMs)}` : ''}`,
    waitSeconds: Math.min(
      waitSecondsUntil(input, untilMs),
      Math.max(1, Math.floor((deadlineMs - nowMs) / 1000)),
    ),
    ...(windowStartMs !== undefined ? { windowStartMs } : {}),
  };
}
