/**
 * The Fourier design of the dynamic harmonic regression (`fourier-regression.ts`): the intercept
 * and up to 10 daily and 10 weekly sin/cos pairs, tabulated per phase (multiples of 7 among the
 * weekly harmonics skipped, they repeat daily ones).
 */
const MAX_DAILY_HARMONICS = 10;
const MAX_WEEKLY_HARMONICS = 10;

/** The periodic part of the regression's design, shared by every fit of the same shape. */
export interface Design {
  /** Columns that depend only on the phase: the intercept, then sin/cos pairs. */
  readonly periodicColumns: number;
  /** Number of distinct phases: steps per week when weekly terms are used, else per day. */
  readonly phases: number;
  /** The periodic regressors, row-major: phase p's row starts at p·periodicColumns (do not modify). */
  readonly table: Float64Array;
  /** The same regressors column-major: column i's phase p is at i·phases + p (do not modify). */
  columns(): Float64Array;
  /** GᵀG over all phases once each, q×q row-major (upper triangle filled); computed once, shared. */
  gram(): Float64Array;
}

/** Designs are pure functions of (m₁, m₂, weekly or not): built once per shape and reused. */
const designCache = new Map<string, Design>();

/**
 * The design for `m1` steps per day and `m2` per week over a window of `window` steps: weekly terms
 * only when the window holds a week plus a day. Cached per shape.
 */
export function buildDesign(m1: number, m2: number, window: number): Design {
  const weekly = window >= m2 + m1 && m2 > m1 && m2 % m1 === 0;
  const key = `${m1}:${m2}:${weekly}`;
  const cached = designCache.get(key);
  if (cached !== undefined) return cached;
  const design = createDesign(m1, m2, weekly);
  designCache.set(key, design);
  return design;
}

function createDesign(m1: number, m2: number, weekly: boolean): Design {
  const dailyHarmonics = Math.min(MAX_DAILY_HARMONICS, Math.floor((m1 - 1) / 2));
  const weeklyKs: number[] = [];
  if (weekly) {
    for (let k = 1; weeklyKs.length < MAX_WEEKLY_HARMONICS && k < m2 / 2; k += 1) {
      if (k % 7 !== 0) weeklyKs.push(k);
    }
  }
  const phases = weeklyKs.length > 0 ? m2 : m1;
  const q = 1 + 2 * dailyHarmonics + 2 * weeklyKs.length;
  // Phase table: intercept and sin/cos of every harmonic at every phase, so rows are views.
  const table = new Float64Array(phases * q);
  for (let phase = 0; phase < phases; phase += 1) {
    const base = phase * q;
    table[base] = 1;
    const dailyAngle = (2 * Math.PI * (phase % m1)) / m1;
    let c = 1;
    for (let k = 1; k <= dailyHarmonics; k += 1) {
      table[base + c] = Math.sin(k * dailyAngle);
      table[base + c + 1] = Math.cos(k * dailyAngle);
      c += 2;
    }
    const weeklyAngle = (2 * Math.PI * phase) / m2;
    for (const k of weeklyKs) {
      table[base + c] = Math.sin(k * weeklyAngle);
      table[base + c + 1] = Math.cos(k * weeklyAngle);
      c += 2;
    }
  }
  let gram: Float64Array | undefined;
  let columns: Float64Array | undefined;
  return {
    periodicColumns: q,
    phases,
    table,
    columns: () => {
      if (columns === undefined) {
        columns = new Float64Array(phases * q);
        for (let phase = 0; phase < phases; phase += 1)
          for (let i = 0; i < q; i += 1) columns[i * phases + phase] = table[phase * q + i] as number;
      }
      return columns;
    },
    gram: () => {
      if (gram === undefined) {
        gram = new Float64Array(q * q);
        for (let row = 0; row < phases * q; row += q)
          for (let i = 0; i < q; i += 1) {
            const gi = table[row + i] as number;
            for (let j = i; j < q; j += 1)
              gram[i * q + j] = (gram[i * q + j] as number) + gi * (table[row + j] as number);
          }
      }
      return gram;
    },
  };
}
