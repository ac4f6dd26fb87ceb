import { EmptySeriesError, InvalidStepError, NoUsableDataError, SeriesSpanTooLargeError } from './errors';
import { unusableReason } from './has-usable-load';
import { dividesDay, seasonPeriods } from './season-periods';
import type { CleaningReport, LoadObservation, RegularSeries } from './types';

/** Most steps a cleaned series may have (about 1 year of 1-minute data); guards against stray timestamps. */
export const MAX_CLEANED_STEPS = 600_000;

/** A cleaned series and what cleaning did. */
export interface CleanedSeries {
  readonly series: RegularSeries;
  readonly report: CleaningReport;
}

/**
 * Turns raw observations into an evenly spaced series, deterministically.
 *
 * 1. Drops observations with a non-finite timestamp or value, then negative values (load is ≥ 0).
 * 2. Snaps each timestamp to the nearest multiple of the step since the epoch (so the grid is
 *    aligned to wall-clock boundaries) and averages observations that land on the same step —
 *    duplicates, jittered timestamps and finer-grained data all merge this way.
 * 3. Fills missing steps: gaps up to one hour (at least 3 steps) by linear interpolation; longer
 *    gaps (shorter than a day) by the value one day earlier, shifted to join both edges, when a day
 *    of history precedes the gap; otherwise linearly.
 *
 * The result does not depend on the input order.
 * @param stepSeconds - step of the output grid in seconds, in [1, 86400], dividing a day.
 * @throws InvalidStepError for a step outside [1, 86400] seconds or one that does not divide a day.
 * @throws EmptySeriesError when `observations` is empty.
 * @throws NoUsableDataError when every observation is dropped.
 * @throws SeriesSpanTooLargeError when the grid would exceed {@link MAX_CLEANED_STEPS}.
 */
export function cleanSeries(observations: readonly LoadObservation[], stepSeconds: number): CleanedSeries {
  if (!dividesDay(stepSeconds)) throw new InvalidStepError(stepSeconds);
  if (observations.length === 0) throw new EmptySeriesError();
  const stepMs = stepSeconds * 1000;
  const { kept, droppedNonFinite, droppedNegative, reordered } = usableObservations(observations, stepMs);
  if (kept.length === 0) throw new NoUsableDataError(observations.length, droppedNonFinite, droppedNegative);
  const { firstSlot, values, present } = meansBySlot(kept, MAX_CLEANED_STEPS);
  const steps = values.length;
  const filledGapSteps = fillGaps(values, present, stepSeconds);
  return {
    series: { startMs: firstSlot * stepMs, stepSeconds, values },
    report: {
      inputPoints: observations.length,
      droppedNonFinite,
      droppedNegative,
      mergedDuplicates: kept.length - (steps - filledGapSteps),
      reordered,
      filledGapSteps,
      outputSteps: steps,
    },
  };
}

/** Finite, non-negative observations on their grid slot, with what was dropped and whether input was out of order. */
function usableObservations(observations: readonly LoadObservation[], stepMs: number) {
  let droppedNonFinite = 0;
  let droppedNegative = 0;
  let reordered = false;
  let previousMs = Number.NEGATIVE_INFINITY;
  const kept: { slot: number; value: number }[] = [];
  for (const observation of observations) {
    const dropped = unusableReason(observation);
    if (dropped === 'non-finite') droppedNonFinite += 1;
    if (dropped === 'negative') droppedNegative += 1;
    if (dropped !== undefined) continue;
    const { timestampMs, value } = observation;
    if (timestampMs < previousMs) reordered = true;
    previousMs = timestampMs;
    kept.push({ slot: Math.round(timestampMs / stepMs), value });
  }
  return { kept, droppedNonFinite, droppedNegative, reordered };
}

/**
 * The mean of each step slot's values from the first slot to the last (`values`, 0 where a slot
 * has none), and which slots had any (`present`). Sorts `kept` by slot then value first, so a mean
 * does not depend on the input order (float sums are order-sensitive): the forecaster's cleaning
 * and the loop's load grid (`loadGrid`) read the same steps.
 * @throws SeriesSpanTooLargeError when the slots span more than `maxSteps`, before allocating them.
 */
export function meansBySlot(
  kept: { slot: number; value: number }[],
  maxSteps = Number.POSITIVE_INFINITY,
): { firstSlot: number; values: number[]; present: Uint8Array } {
  kept.sort((x, y) => x.slot - y.slot || x.value - y.value);
  const firstSlot = (kept[0] as { slot: number }).slot;
  const steps = (kept[kept.length - 1] as { slot: number }).slot - firstSlot + 1;
  if (steps > maxSteps) throw new SeriesSpanTooLargeError(steps, maxSteps);
  const sums = new Float64Array(steps);
  const counts = new Uint32Array(steps);
  for (const { slot, value } of kept) {
    const i = slot - firstSlot;
    sums[i] = (sums[i] as number) + value;
    counts[i] = (counts[i] as number) + 1;
  }
  const values = new Array<number>(steps);
  const present = new Uint8Array(steps);
  for (let i = 0; i < steps; i += 1) {
    const count = counts[i] as number;
    if (count > 0) {
      values[i] = (sums[i] as number) / count;
      present[i] = 1;
    } else {
      values[i] = 0;
    }
  }
  return { firstSlot, values, present };
}

/** Fills steps with `present[i] === 0` in place; returns how many were filled. */
function fillGaps(values: number[], present: Uint8Array, stepSeconds: number): number {
  const { dailySteps } = seasonPeriods(stepSeconds);
  const shortGapSteps = Math.max(3, Math.round(3600 / stepSeconds));
  let filled = 0;
  let i = 0;
  while (i < values.length) {
    if (present[i] === 1) {
      i += 1;
      continue;
    }
    const start = i;
    while (i < values.length && present[i] === 0) i += 1;
    const end = i; // first present index after the gap (the series always ends on a present step)
    const left = values[start - 1] as number;
    const right = values[end] as number;
    const length = end - start;
    const seasonal = length > shortGapSteps && length < dailySteps && start - 1 - dailySteps >= 0;
    const leftBase = seasonal ? (values[start - 1 - dailySteps] as number) : 0;
    const rightBase = seasonal ? (values[end - dailySteps] as number) : 0;
    for (let j = start; j < end; j += 1) {
      const w = (j - start + 1) / (length + 1);
      if (seasonal) {
        // Yesterday's shape, shifted so it joins both edges of the gap.
        const shift = (1 - w) * (left - leftBase) + w * (right - rightBase);
        values[j] = Math.max(0, (values[j - dailySteps] as number) + shift);
      } else {
        values[j] = left + w * (right - left);
      }
    }
    filled += length;
  }
  return filled;
}
