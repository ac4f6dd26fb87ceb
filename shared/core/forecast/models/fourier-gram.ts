/**
 * The data-independent part of X'X in the dynamic harmonic regression (`fourier-regression.ts`).
 * Its periodic regressors depend only on the phase and its trend regressor τ = t/window only on
 * the step, so the periodic block Σ_phase c_phase·g·gᵀ (c_phase: how often the phase occurs in
 * the window), the trend column Σ_phase (Σ τ)·g and Σ τ² depend on the design and the window
 * length, never on the data. They are computed once per (design, window) and reused by every fit
 * of that shape (the backtest fits the same window lengths on every series). A window longer by a
 * few steps than one already computed, as the hourly refits' are, resumes from its kept prefix
 * where the additions allow it bit for bit (`computeWindowGram`).
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

/** Prefix checkpoints kept per design (see `leadingSurplusBlock`); the oldest is dropped beyond this. */
export const PREFIX_CHECKPOINT_CACHE_SIZE = 64;

/**
 * The periodic block of a window whose count exceeds the reference by one on phases 0…added−1
 * only: `reference`·GᵀG plus g·gᵀ of those phases, added in ascending phase order.
 */
interface PrefixCheckpoint {
  readonly reference: number;
  readonly added: number;
  readonly block: Float64Array;
}

const prefixCheckpoints = new WeakMap<Design, PrefixCheckpoint[]>();

/** The {@link WindowGram} of `design` over `window` steps; cached per design and window. */
export function windowGram(design: Design, window: number): WindowGram {
  let cache = caches.get(design);
  if (cache === undefined) {
    cache = new Map();
    caches.set(design, cache);
  }
  const cached = cache.get(window);
  if (cached !== undefined) return cached;
  const gram = computeWindowGram(design, window, true);
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

/**
 * The {@link WindowGram} of `design` over `window` steps, computed without the window cache.
 * With `resumePrefixes`, a window whose count exceeds the most common one on the first phases
 * only (the common case: ⌊window/phases⌋ everywhere, one more on phases 0…r−1) starts from the
 * kept block of a shorter such prefix with the same reference and adds only the phases beyond
 * it: the same additions in the same order per entry, so the block is bit-identical to the one
 * computed from scratch (`resumePrefixes` false, the reference the tests compare with). Hourly
 * refits grow each backtest window by an hour, so the window cache misses but the prefix grows.
 */
export function computeWindowGram(design: Design, window: number, resumePrefixes: boolean): WindowGram {
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
  const differing: number[] = [];
  for (let phase = 0; phase < phases; phase += 1) if (count[phase] !== reference) differing.push(phase);
  if (resumePrefixes && isLeadingSurplus(differing, count, reference)) {
    return { periodic: leadingSurplusBlock(design, count, reference, differing), trendCross, trendSquares };
  }
  const block = referenceBlock(design, reference);
  addCountCorrection(block, design, count, reference, differing, 0);
  return { periodic: block, trendCross, trendSquares };
}

/** `reference`·GᵀG, upper triangle (the lower left zero). */
function referenceBlock(design: Design, reference: number): Float64Array {
  const q = design.periodicColumns;
  const gram = design.gram();
  const block = new Float64Array(q * q);
  for (let i = 0; i < q; i += 1)
    for (let j = i; j < q; j += 1) block[i * q + j] = reference * (gram[i * q + j] as number);
  return block;
}

/** Whether the differing phases are 0…k−1, each counted once more than the reference. */
function isLeadingSurplus(differing: readonly number[], count: Float64Array, reference: number): boolean {
  for (let d = 0; d < differing.length; d += 1)
    if (differing[d] !== d || count[d] !== reference + 1) return false;
  return true;
}

/**
 * The periodic block of a leading-surplus window (see `computeWindowGram`), resumed from the
 * longest kept prefix with the same reference that is no longer than this one, and kept itself.
 */
function leadingSurplusBlock(
  design: Design,
  count: Float64Array,
  reference: number,
  differing: readonly number[],
): Float64Array {
  let kept = prefixCheckpoints.get(design);
  if (kept === undefined) {
    kept = [];
    prefixCheckpoints.set(design, kept);
  }
  const added = differing.length;
  let start: PrefixCheckpoint | undefined;
  for (const checkpoint of kept)
    if (
      checkpoint.reference === reference &&
      checkpoint.added <= added &&
      (start?.added ?? -1) < checkpoint.added
    )
      start = checkpoint;
  const block = start === undefined ? referenceBlock(design, reference) : start.block.slice();
  addCountCorrection(block, design, count, reference, differing, start?.added ?? 0);
  if (start?.added !== added) {
    if (kept.length >= PREFIX_CHECKPOINT_CACHE_SIZE) kept.shift();
    kept.push({ reference, added, block: block.slice() });
  }
  return block;
}

/**
 * Adds Σ (c_phase − reference)·g·gᵀ over `differing[from…]` to the upper triangle of `block`
 * (q×q), phase by phase in ascending order for every entry, from the column-major copy of the
 * table so each entry accumulates in a register over contiguous memory.
 */
function addCountCorrection(
  block: Float64Array,
  design: Design,
  count: Float64Array,
  reference: number,
  allDiffering: readonly number[],
  from: number,
): void {
  const q = design.periodicColumns;
  const phases = design.phases;
  const differing = from === 0 ? allDiffering : allDiffering.slice(from);
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
