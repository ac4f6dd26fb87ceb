/**
 * The data-independent part of X'X in the dynamic harmonic regression (`fourier-regression.ts`).
 * Its periodic regressors depend only on the phase and its trend regressor τ = t/window only on
 * the step, so the periodic block Σ_phase c_phase·g·gᵀ (c_phase: how often the phase occurs in
 * the window), the trend column Σ_phase (Σ τ)·g and Σ τ² depend on the design and the window
 * length, never on the data. They are computed once per (design, window) and reused by every fit
 * of that shape (the backtest fits the same window lengths on every series).
 */
import type { Design } from './fourier-design';

/** Window lengths kept per design; the oldest is dropped beyond this. */
export const WINDOW_GRAM_CACHE_SIZE = 64;

/** The data-independent sums of a fit over a window of `window` steps (do not modify). */
export interface WindowGram {
  /**
   * Σ_phase c_phase·g(phase)·g(phase)ᵀ (c_phase = number of steps t in [0, window) with
   * t mod phases = phase), q×q row-major, upper triangle filled (the lower is unspecified).
   * Computed as c_ref·GᵀG (the design's cached Gram matrix) plus Σ (c − c_ref)·g·gᵀ over the few
   * phases whose count differs from the most common one, c_ref.
   */
  readonly periodic: Float64Array;
  /** Σ_phase (Σ of τ = t/window over the window's steps at that phase)·g_i(phase), per column i. */
  readonly trendCross: Float64Array;
  /** Σ τ² over the window's steps, in step order. */
  readonly trendSquares: number;
}

const caches = new WeakMap<Design, Map<number, WindowGram>>();

/** The {@link WindowGram} of `design` over `window` steps; cached per design and window. */
export function windowGram(design: Design, window: number): WindowGram {
  let cache = caches.get(design);
  if (cache === undefined) {
    cache = new Map();
    caches.set(design, cache);
  }
  const cached = cache.get(window);
  if (cached !== undefined) return cached;
  const gram = computeWindowGram(design, window);
  if (cache.size >= WINDOW_GRAM_CACHE_SIZE) {
    const oldest = cache.keys().next().value as number;
    cache.delete(oldest);
  }
  cache.set(window, gram);
  return gram;
}

/**
 * Σ_phase sums[phase]·g_i(phase) into `out[i]` for every column i, each summed over phases in
 * ascending order (two columns at a time, so the sums run side by side).
 */
export function columnProducts(design: Design, sums: Float64Array, out: Float64Array): void {
  const q = design.periodicColumns;
  const phases = design.phases;
  const columns = design.columns();
  let i = 0;
  for (; i + 1 < q; i += 2) {
    const a = i * phases;
    const b = a + phases;
    let sumA = 0;
    let sumB = 0;
    for (let phase = 0; phase < phases; phase += 1) {
      const s = sums[phase] as number;
      sumA += s * (columns[a + phase] as number);
      sumB += s * (columns[b + phase] as number);
    }
    out[i] = sumA;
    out[i + 1] = sumB;
  }
  for (; i < q; i += 1) {
    const a = i * phases;
    let sum = 0;
    for (let phase = 0; phase < phases; phase += 1)
      sum += (sums[phase] as number) * (columns[a + phase] as number);
    out[i] = sum;
  }
}

function computeWindowGram(design: Design, window: number): WindowGram {
  const q = design.periodicColumns;
  const phases = design.phases;
  const count = new Float64Array(phases);
  const trendSum = new Float64Array(phases);
  let trendSquares = 0;
  for (let t = 0; t < window; t += 1) {
    const phase = t % phases;
    const tau = t / window;
    count[phase] = (count[phase] as number) + 1;
    trendSum[phase] = (trendSum[phase] as number) + tau;
    trendSquares += tau * tau;
  }
  const trendCross = new Float64Array(q);
  columnProducts(design, trendSum, trendCross);
  const reference = referenceCount(count);
  const gram = design.gram();
  const block = new Float64Array(q * q);
  for (let i = 0; i < q; i += 1)
    for (let j = i; j < q; j += 1) block[i * q + j] = reference * (gram[i * q + j] as number);
  addCountCorrection(block, design, count, reference);
  return { periodic: block, trendCross, trendSquares };
}

/**
 * Adds Σ_phase (c_phase − reference)·g·gᵀ to the upper triangle of `block` (q×q), phase by phase
 * in ascending order for every entry, from the column-major copy of the table so each entry
 * accumulates in a register over contiguous memory.
 */
function addCountCorrection(
  block: Float64Array,
  design: Design,
  count: Float64Array,
  reference: number,
): void {
  const q = design.periodicColumns;
  const phases = design.phases;
  const differing: number[] = [];
  for (let phase = 0; phase < phases; phase += 1) if (count[phase] !== reference) differing.push(phase);
  const k = differing.length;
  if (k === 0) return;
  const columns = design.columns();
  // The differing phases' regressors, column-major and contiguous: column i at i·k.
  const rows = new Float64Array(q * k);
  for (let i = 0; i < q; i += 1)
    for (let d = 0; d < k; d += 1) rows[i * k + d] = columns[i * phases + (differing[d] as number)] as number;
  const scaled = new Float64Array(k);
  for (let i = 0; i < q; i += 1) {
    for (let d = 0; d < k; d += 1)
      scaled[d] = ((count[differing[d] as number] as number) - reference) * (rows[i * k + d] as number);
    const base = i * q;
    let j = i;
    // Four entries at a time: independent sums, so the additions overlap instead of waiting in turn.
    for (; j + 3 < q; j += 4) {
      const c0 = j * k;
      const c1 = c0 + k;
      const c2 = c1 + k;
      const c3 = c2 + k;
      let s0 = block[base + j] as number;
      let s1 = block[base + j + 1] as number;
      let s2 = block[base + j + 2] as number;
      let s3 = block[base + j + 3] as number;
      for (let d = 0; d < k; d += 1) {
        const w = scaled[d] as number;
        s0 += w * (rows[c0 + d] as number);
        s1 += w * (rows[c1 + d] as number);
        s2 += w * (rows[c2 + d] as number);
        s3 += w * (rows[c3 + d] as number);
      }
      block[base + j] = s0;
      block[base + j + 1] = s1;
      block[base + j + 2] = s2;
      block[base + j + 3] = s3;
    }
    for (; j < q; j += 1) {
      const cj = j * k;
      let sum = block[base + j] as number;
      for (let d = 0; d < k; d += 1) sum += (scaled[d] as number) * (rows[cj + d] as number);
      block[base + j] = sum;
    }
  }
}

/** The count most phases share (ties: the one reaching the top tally first). */
function referenceCount(count: Float64Array): number {
  // Counts take one or two distinct values (⌊window/phases⌋ and one more): a short list, no Map.
  const values: number[] = [];
  const tallies: number[] = [];
  let best = 0;
  let bestTally = -1;
  for (const c of count) {
    let slot = values.indexOf(c);
    if (slot < 0) {
      slot = values.length;
      values.push(c);
      tallies.push(0);
    }
    const t = (tallies[slot] as number) + 1;
    tallies[slot] = t;
    if (t > bestTally) {
      best = c;
      bestTally = t;
    }
  }
  return best;
}
