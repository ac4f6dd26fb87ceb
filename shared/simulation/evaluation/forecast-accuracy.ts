/** Accuracy of one policy's forecasts against the load that arrived. */
export interface ForecastAccuracy {
  /** Mean absolute error, in load units (percent of one instance). */
  readonly mae: number;
  /** MAE relative to the mean actual load, %. */
  readonly maePct: number;
  /** MAE divided by the MAE of the daily seasonal-naive forecast on the same actuals. */
  readonly mase: number;
  /** Pairs scored. */
  readonly points: number;
}

/** A forecast value and the actual value it claimed, at one instant. */
export interface ForecastPair {
  readonly timestampMs: number;
  readonly forecast: number;
  readonly actual: number;
}

/**
 * MAE and MASE of forecast pairs. The MASE scale is the mean |y_t − y_{t−season}| of the actual
 * series `actualByTime` (the seasonal-naive in-sample error, Hyndman & Koehler 2006), so a MASE
 * below 1 beats "same time yesterday". Returns undefined with no pairs.
 */
export function forecastAccuracy(
  pairs: readonly ForecastPair[],
  actualByTime: ReadonlyMap<number, number>,
  seasonMs: number,
): ForecastAccuracy | undefined {
  if (pairs.length === 0) return undefined;
  let abs = 0;
  let actualSum = 0;
  for (const p of pairs) {
    abs += Math.abs(p.forecast - p.actual);
    actualSum += p.actual;
  }
  const mae = abs / pairs.length;
  let naive = 0;
  let naiveCount = 0;
  for (const [t, y] of actualByTime) {
    const back = actualByTime.get(t - seasonMs);
    if (back !== undefined) {
      naive += Math.abs(y - back);
      naiveCount += 1;
    }
  }
  const scale = naiveCount > 0 ? naive / naiveCount : Number.NaN;
  const meanActual = actualSum / pairs.length;
  return {
    mae,
    maePct: meanActual > 0 ? (100 * mae) / meanActual : Number.NaN,
    mase: scale > 0 ? mae / scale : Number.NaN,
    points: pairs.length,
  };
}
