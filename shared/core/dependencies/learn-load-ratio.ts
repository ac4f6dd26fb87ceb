import type { LoadObservation } from '../forecast/types';

/**
 * How a downstream group's load follows an upstream group's load, fitted by least squares on the
 * timestamps both series have: `downstream ≈ intercept + slope × upstream`.
 */
export type LoadRatioFit =
  | {
      readonly kind: 'fitted';
      /** Downstream load per unit of upstream load (the load ratio); may be negative on noise. */
      readonly slope: number;
      /** Downstream load when the upstream has none, in the downstream's load unit. */
      readonly intercept: number;
      /**
       * Share of the downstream's variance the line explains, 0–1. 1 when the downstream is
       * constant (the line fits exactly; the slope is then 0).
       */
      readonly rSquared: number;
      /** Aligned timestamps used. */
      readonly samples: number;
    }
  /** Fewer aligned, finite samples than `minSamples`. */
  | {
      readonly kind: 'insufficient-samples';
      readonly samples: number;
      readonly minSamples: number;
      readonly reason: string;
    }
  /** The upstream load never changed over the aligned samples, so no slope can be told apart. */
  | { readonly kind: 'constant-upstream'; readonly samples: number; readonly reason: string };

/** Fewest aligned samples {@link learnLoadRatio} fits by default: one hour at 5-minute steps. */
export const DEFAULT_MIN_LOAD_RATIO_SAMPLES = 12;

/**
 * Ordinary least-squares line (with intercept) of downstream load on upstream load, over the
 * timestamps present in both series. Non-finite values are dropped; several observations at one
 * timestamp are averaged. Sums are centred on the means for numerical stability.
 * Reference: any regression text, e.g. Hyndman & Athanasopoulos, FPP3 §7.1.
 * @param options.minSamples - fewest aligned samples to fit (≥ 2); default 12.
 */
export function learnLoadRatio(
  upstream: readonly LoadObservation[],
  downstream: readonly LoadObservation[],
  options: { readonly minSamples?: number } = {},
): LoadRatioFit {
  const minSamples = Math.max(2, options.minSamples ?? DEFAULT_MIN_LOAD_RATIO_SAMPLES);
  const up = averageByTimestamp(upstream);
  const down = averageByTimestamp(downstream);
  const xs: number[] = [];
  const ys: number[] = [];
  for (const [t, x] of up) {
    const y = down.get(t);
    if (y !== undefined) {
      xs.push(x);
      ys.push(y);
    }
  }
  const n = xs.length;
  if (n < minSamples) {
    return {
      kind: 'insufficient-samples',
      samples: n,
      minSamples,
      reason: `${n} aligned sample(s) with finite values in both series; expected at least ${minSamples}`,
    };
  }
  const meanX = xs.reduce((s, v) => s + v, 0) / n;
  const meanY = ys.reduce((s, v) => s + v, 0) / n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = (xs[i] as number) - meanX;
    const dy = (ys[i] as number) - meanY;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  }
  if (sxx <= 1e-12 * Math.max(1, meanX * meanX) * n) {
    return {
      kind: 'constant-upstream',
      samples: n,
      reason: `the upstream load is constant (${meanX}) over ${n} aligned samples; expected it to vary`,
    };
  }
  const slope = sxy / sxx;
  const intercept = meanY - slope * meanX;
  const residual = Math.max(0, syy - slope * sxy);
  const rSquared = syy <= 0 ? 1 : Math.min(1, Math.max(0, 1 - residual / syy));
  return { kind: 'fitted', slope, intercept, rSquared, samples: n };
}

function averageByTimestamp(series: readonly LoadObservation[]): Map<number, number> {
  const sums = new Map<number, { sum: number; count: number }>();
  for (const o of series) {
    if (!Number.isFinite(o.value) || !Number.isFinite(o.timestampMs)) continue;
    const s = sums.get(o.timestampMs) ?? { sum: 0, count: 0 };
    s.sum += o.value;
    s.count += 1;
    sums.set(o.timestampMs, s);
  }
  return new Map([...sums].map(([t, s]) => [t, s.sum / s.count]));
}
