import type { AnomalyReason } from './types';

/** What {@link classifyAnomalies} needs besides the robust scores. */
export interface ClassifyInput {
  /** Robust z-score of every step's seasonal residual. */
  readonly scores: Float64Array;
  /** Seasonal residual of every step (value − expectation), in load units. */
  readonly residuals: Float64Array;
  /** Steps with |score| above the threshold, in time order. */
  readonly candidates: readonly number[];
  /** Score threshold; a run or a recurrence counts steps above half of it. */
  readonly threshold: number;
  /** 1 for steps inside a known campaign window. */
  readonly inCampaign: Uint8Array;
  readonly dailySteps: number;
  readonly weeklySteps: number;
  /** Shortest run of consecutive unusual steps that is a sustained excursion, not a glitch. */
  readonly minRunSteps: number;
  /** How far (± steps) the same time on another day may drift and still count as a recurrence. */
  readonly toleranceSteps: number;
  /** Most days back or forward a daily recurrence is looked for. */
  readonly maxDayLag: number;
}

/**
 * Gives each candidate the reason it is replaced (`glitch`) or kept in the fit:
 *
 * * `campaign` — inside a known campaign window.
 * * `trailing` — its run of unusual steps reaches the last step: possibly a shift in progress.
 * * `sustained` — its run (consecutive steps with the same sign and |score| above half the
 *   threshold) lasts at least `minRunSteps`: a real excursion of demand, not a sample glitch.
 * * `recurring` — within ±`toleranceSteps` of the same time on another day (up to `maxDayLag`
 *   days away) or on the same weekday of another week, the residual has the same sign and at
 *   least half its size: the series' own structure explains it.
 * * `glitch` — none of the above.
 *
 * The first matching reason wins, in that order. Pure and O(candidates · lags · tolerance).
 */
export function classifyAnomalies(input: ClassifyInput): AnomalyReason[] {
  const { scores, candidates, threshold } = input;
  const n = scores.length;
  const half = threshold / 2;
  const runs = unusualRuns(scores, half);
  return candidates.map((t) => {
    if (input.inCampaign[t] === 1) return 'campaign';
    const run = runs[t] as number;
    const runEnd = runEndIndex(scores, t, half);
    if (runEnd === n - 1) return 'trailing';
    if (run >= input.minRunSteps) return 'sustained';
    if (recurs(input, t)) return 'recurring';
    return 'glitch';
  });
}

/** Length of the same-sign run of |score| > level containing each step (0 outside runs). */
function unusualRuns(scores: Float64Array, level: number): Uint32Array {
  const n = scores.length;
  const length = new Uint32Array(n);
  let t = 0;
  while (t < n) {
    const sign = Math.sign(scores[t] as number);
    if (Math.abs(scores[t] as number) <= level) {
      t += 1;
      continue;
    }
    let end = t;
    while (
      end + 1 < n &&
      Math.abs(scores[end + 1] as number) > level &&
      Math.sign(scores[end + 1] as number) === sign
    )
      end += 1;
    for (let i = t; i <= end; i += 1) length[i] = end - t + 1;
    t = end + 1;
  }
  return length;
}

function runEndIndex(scores: Float64Array, t: number, level: number): number {
  const sign = Math.sign(scores[t] as number);
  let end = t;
  while (
    end + 1 < scores.length &&
    Math.abs(scores[end + 1] as number) > level &&
    Math.sign(scores[end + 1] as number) === sign
  )
    end += 1;
  return end;
}

/** True when a same-sign residual of at least half the size sits near the same time on another day or week. */
function recurs(input: ClassifyInput, t: number): boolean {
  const { residuals, dailySteps, weeklySteps, toleranceSteps, maxDayLag } = input;
  const n = residuals.length;
  const r = residuals[t] as number;
  const similar = (i: number): boolean => {
    const v = residuals[i] as number;
    return r > 0 ? v >= 0.5 * r : v <= 0.5 * r;
  };
  const lags: number[] = [];
  if (dailySteps > 1) for (let d = 1; d <= maxDayLag; d += 1) lags.push(d * dailySteps, -d * dailySteps);
  if (weeklySteps > dailySteps) {
    for (let w = 1; w * weeklySteps < n; w += 1) {
      if (w * 7 > maxDayLag) lags.push(w * weeklySteps, -w * weeklySteps);
    }
  }
  for (const lag of lags) {
    const centre = t + lag;
    for (
      let i = Math.max(0, centre - toleranceSteps);
      i <= Math.min(n - 1, centre + toleranceSteps);
      i += 1
    ) {
      if (similar(i)) return true;
    }
  }
  return false;
}
