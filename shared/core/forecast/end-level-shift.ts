import { median } from './median';
/** Share of the day the newest steps must span, all beyond the band on one side, to count as a shift. */
export const SHIFT_WINDOW_DAY_SHARE = 1 / 48;
/** Fewest newest steps that make a shift, whatever the step. */
export const SHIFT_MIN_STEPS = 3;
/** Quantile of the history's absolute seasonal differences that the newest steps must all exceed. */
export const SHIFT_BAND_QUANTILE = 0.99;
/** Days of seasonal differences, before the newest steps, that the band is read from. */
export const BAND_DAYS = 7;

/**
 * Detects a level shift that has just happened at the end of the history, and how far the
 * forecast lags it.
 *
 * Models and calibration both look back over days; a step change in the last half hour is in
 * neither, and the forecast for the next day sits between the old and the new level, with
 * intervals calibrated on the old one. The test works on seasonal differences
 * d(t) = y(t) − y(t − `dailySteps`), which remove the daily shape (a morning ramp is no shift):
 * the newest L = max({@link SHIFT_MIN_STEPS}, ⌈`dailySteps`·{@link SHIFT_WINDOW_DAY_SHARE}⌉) steps
 * must all lie beyond the {@link SHIFT_BAND_QUANTILE} quantile of |d| over the {@link BAND_DAYS} days before them, on
 * the same side. A single burst is one or two steps; a burst as long as L beyond the 99th
 * percentile of the history's own day-to-day change, reaching the last step, is taken as a new
 * level. When the history holds a week and a day more than L, the same test must also pass on the
 * weekly differences y(t) − y(t − `weeklySteps`), on the same side: a Sunday evening is far below
 * Saturday's but not below last Sunday's, and is no shift. The shift is then the median over those L steps of d(t) (the weekly ones when tested), less the median over the forecast's
 * first day of its own seasonal difference, mean(h) − y(T + h − lag): what the new level
 * adds that the model does not carry through the day (an autoregressive model follows the newest
 * steps for a few hours, then returns to the old level).
 *
 * Steps inside a known campaign window are no shift: the campaign's own rise is its uplift, which
 * the forecast applies inside the window only, while a shift moves the whole horizon and would
 * outlast the window. `history` comes with that uplift taken out (`removeCampaignUplift`); what
 * is left there is the uplift misjudged, so when any of the newest L steps lies in a window the
 * shift is 0.
 *
 * Invariants: 0 without a shift, without two whole days of history, with a shorter forecast than
 * L, or with one of the newest L steps in a campaign window; deterministic.
 * @param history - cleaned history, oldest first; its last step is just before the forecast.
 * @param mean - the mean forecast, one value per step.
 * @param periods - the daily and (optional) weekly season, in steps (see `seasonPeriods`).
 * @param inCampaign - per history step, 1 inside a known campaign window; none when absent.
 * @returns the load to add to the forecast (negative after a drop), 0 when no shift is seen.
 */
export function endLevelShift(
  history: readonly number[],
  mean: readonly number[],
  periods: { readonly dailySteps: number; readonly weeklySteps?: number },
  inCampaign?: ArrayLike<number>,
): number {
  const { dailySteps, weeklySteps } = periods;
  const window = Math.max(SHIFT_MIN_STEPS, Math.ceil(dailySteps * SHIFT_WINDOW_DAY_SHARE));
  const n = history.length;
  if (n < 2 * dailySteps + window || mean.length < window || window >= dailySteps) return 0;
  for (let t = n - window; t < n && inCampaign !== undefined; t += 1) if (inCampaign[t] === 1) return 0;
  const lags = [dailySteps];
  if (weeklySteps !== undefined && weeklySteps > dailySteps && n >= weeklySteps + dailySteps + window) {
    lags.push(weeklySteps);
  }
  const shifts = lags.map((lag) => lagShift(history, mean, lag, dailySteps, window));
  const side = Math.sign(shifts[0] as number);
  if (side === 0 || !shifts.every((x) => Math.sign(x) === side)) return 0;
  return shifts[shifts.length - 1] as number;
}

/** The shift seen against one seasonal lag (see {@link endLevelShift}); 0 when none. */
function lagShift(
  history: readonly number[],
  mean: readonly number[],
  lag: number,
  dailySteps: number,
  window: number,
): number {
  const n = history.length;
  const recent: number[] = [];
  for (let t = n - window; t < n; t += 1) recent.push((history[t] as number) - (history[t - lag] as number));
  const side = Math.sign(recent[0] as number);
  // The sign test first: it usually fails, and then the band (a sort of a week of steps) is not needed.
  if (side === 0 || !recent.every((d) => Math.sign(d) === side)) return 0;
  const earlier: number[] = [];
  for (let t = Math.max(lag, n - BAND_DAYS * dailySteps); t < n - window; t += 1) {
    earlier.push(Math.abs((history[t] as number) - (history[t - lag] as number)));
  }
  const band = quantile(earlier, SHIFT_BAND_QUANTILE);
  if (!recent.every((d) => Math.abs(d) > band)) return 0;
  const followed: number[] = [];
  for (let h = 0; h < Math.min(mean.length, dailySteps, lag); h += 1) {
    followed.push((mean[h] as number) - (history[n + h - lag] as number));
  }
  const shift = median(recent) - median(followed);
  return Math.sign(shift) === side ? shift : 0;
}

function quantile(values: readonly number[], p: number): number {
  // The native numeric sort of a typed array orders exactly as the comparator below when there is
  // no NaN (and the values here, absolute differences, hold no −0); it is several times faster.
  const sorted = values.some(Number.isNaN)
    ? [...values].sort((a, b) => a - b)
    : Float64Array.from(values).sort();
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] as number;
}
