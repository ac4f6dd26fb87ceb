// Insertion sort for the short windows the seasonal median sorts once per phase.
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
