import type { RunRecord } from '../../ports/state-store';
import { dailyPeakAccuracy, type ForecastDay, forecastAccuracy } from '../evaluation/forecast-accuracy';
import { type LoadTrace, loadTraceAt } from '../load/load-trace';
import type { ForecastBand, PolicySummary } from './policy-run';

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** A predictive policy's forecasts scored against the load that arrived, and its band. */
export interface ForecastEvaluation {
  readonly forecast?: PolicySummary['forecast'];
  readonly band: ForecastBand;
}

/** The trace's mean load over each whole step of `stepMs` in [trace start, `untilMs`), by step start. */
export function stepMeanLoads(trace: LoadTrace, stepMs: number, untilMs: number): Map<number, number> {
  const means = new Map<number, number>();
  const minutes = stepMs / MINUTE_MS;
  for (let s = Math.ceil(trace.startMs / stepMs) * stepMs; s + stepMs <= untilMs; s += stepMs) {
    let sum = 0;
    for (let m = 0; m < minutes; m += 1) sum += loadTraceAt(trace, s + m * MINUTE_MS);
    means.set(s, sum / minutes);
  }
  return means;
}

/**
 * EC2-style predictive scaling's hourly forecasts (each the hour it set the minimum for) against
 * the hourly mean load; the MASE scale uses the warm-up history too.
 */
export function evaluateHourlyForecasts(
  forecasts: readonly { timestampMs: number; forecast: number }[],
  hourlyActual: ReadonlyMap<number, number>,
): ForecastEvaluation {
  const pairs = forecasts.flatMap((p) => {
    const actual = hourlyActual.get(p.timestampMs);
    return actual === undefined ? [] : [{ ...p, actual }];
  });
  const accuracy = forecastAccuracy(pairs, hourlyActual, DAY_MS);
  return {
    ...(accuracy
      ? {
          forecast: {
            ...accuracy,
            horizon: 'hourly mean, 1–6 h ahead (6-hourly refresh)',
            horizonLabel: 'hourly, 1–6 h ahead',
          },
        }
      : {}),
    band: {
      timestampsMs: pairs.map((p) => p.timestampMs),
      median: pairs.map((p) => p.forecast),
      planned: pairs.map((p) => p.forecast),
    },
  };
}

/**
 * Prescale's run records scored against the load that arrived: each record's p50 for the step
 * starting at its tick (the band shows its planned quantile too), and the day-ahead daily peaks.
 */
export function evaluateRunRecords(
  records: readonly RunRecord[],
  trace: LoadTrace,
  hourlyActual: ReadonlyMap<number, number>,
  evalStartMs: number,
  evalEndMs: number,
): ForecastEvaluation {
  const pairs: { timestampMs: number; forecast: number; actual: number }[] = [];
  const band: ForecastBand = { timestampsMs: [], median: [], planned: [] };
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
    if (r.tickMs !== stepStart) continue;
    const actual = stepMs === HOUR_MS ? hourlyActual.get(stepStart) : stepMeanAt(trace, stepStart, stepMs);
    if (actual !== undefined) pairs.push({ timestampMs: stepStart, forecast: median, actual });
  }
  const stepMs = (records[0]?.stepSeconds ?? 3600) * 1000;
  const actualAt = stepMs < HOUR_MS ? stepMeanLoads(trace, stepMs, evalEndMs) : hourlyActual;
  const accuracy = forecastAccuracy(pairs, actualAt, DAY_MS);
  const stepText = records[0] ? `${records[0].stepSeconds / 60}-min` : 'step';
  const peaks = dailyPeakAccuracy(dayAheadForecasts(records, actualAt, evalStartMs, evalEndMs));
  return {
    ...(accuracy
      ? {
          forecast: {
            ...accuracy,
            horizon: `${stepText} mean of the step starting at each tick (p50)`,
            horizonLabel: `next ${stepText} step`,
            ...(peaks ? { peaks } : {}),
          },
        }
      : {}),
    band,
  };
}

function stepMeanAt(trace: LoadTrace, stepStartMs: number, stepMs: number): number | undefined {
  if (stepMs > HOUR_MS) return undefined;
  let sum = 0;
  const n = stepMs / MINUTE_MS;
  for (let m = 0; m < n; m += 1) sum += loadTraceAt(trace, stepStartMs + m * MINUTE_MS);
  return sum / n;
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
