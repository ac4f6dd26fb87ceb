// Insertion sorts for the short arrays the seasonal median and the anomaly detector sort per phase.
/** Up to this length an insertion sort beats the native typed-array sort's call overhead. */
export const INSERTION_SORT_MAX = 48;

/**
 * Sorts in place into exactly the order `Float64Array.prototype.sort` gives (−0 before +0); returns
 * false, leaving a permutation to be sorted natively, when a NaN is present.
 */
export function insertionSort(values: Float64Array): boolean {
  for (let i = 1; i < values.length; i += 1) {
    const x = values[i] as number;
    if (Number.isNaN(x)) return false;
    let j = i - 1;
    for (; j >= 0; j -= 1) {
      const v = values[j] as number;
      // v after x: greater, or +0 against −0 (1/+0 = +∞ > 1/−0 = −∞).
      if (v > x || (v === x && v === 0 && 1 / v > 1 / x)) values[j + 1] = v;
      else break;
    }
    values[j + 1] = x;
  }
  return values.length === 0 || !Number.isNaN(values[0] as number);
}

/**
 * A sorted copy, exactly `[...values].sort((a, b) => a - b)` (a stable sort: −0 and +0 keep their
 * order), by insertion for short NaN-free arrays and by that very call otherwise.
 */
export function stableSorted(values: readonly number[]): number[] {
  if (values.length > INSERTION_SORT_MAX || values.some(Number.isNaN))
    return [...values].sort((a, b) => a - b);
  const out = [...values];
  for (let i = 1; i < out.length; i += 1) {
    const x = out[i] as number;
    let j = i - 1;
    // Strictly greater only, so equal values keep their order, as the stable comparator sort does.
    for (; j >= 0 && (out[j] as number) > x; j -= 1) out[j + 1] = out[j] as number;
    out[j + 1] = x;
  }
  return out;
}
