/**
 * The median of a typed array by selection (average O(n)) instead of a full sort, equal to
 * interpolating the middle of `values.sort()`: the mean of the two middle order statistics for
 * an even length. Order statistics are taken in the typed-array sort's order (−0 before +0), so
 * the result is that very value; with a NaN present the array is sorted natively instead.
 * Reorders `values`.
 */
export function medianInPlace(values: Float64Array): number {
  const n = values.length;
  if (n === 0) return 0;
  const lo = Math.floor(0.5 * (n - 1));
  const hi = Math.min(n - 1, lo + 1);
  const w = 0.5 * (n - 1) - lo;
  let low: number;
  let high: number;
  if (values.some(Number.isNaN)) {
    values.sort();
    low = values[lo] as number;
    high = values[hi] as number;
  } else {
    low = select(values, lo);
    // Everything after position lo is ≥ the lo-th value: the next order statistic is their minimum.
    high = low;
    if (hi > lo) {
      high = values[hi] as number;
      for (let i = hi + 1; i < n; i += 1) if (before(values[i] as number, high)) high = values[i] as number;
    }
  }
  return low * (1 - w) + high * w;
}

/** a before b in the typed-array sort order of NaN-free values (−0 before +0). */
function before(a: number, b: number): boolean {
  return a < b || (a === 0 && b === 0 && 1 / a < 1 / b);
}

/**
 * Moves the k-th smallest value (0-based) to position k, smaller-or-equal ones before it and
 * greater-or-equal ones after (Hoare partition around a median-of-three pivot), and returns it.
 */
function select(values: Float64Array, k: number): number {
  let left = 0;
  let right = values.length - 1;
  while (right > left) {
    const mid = (left + right) >> 1;
    const pivot = medianOfThree(values[left] as number, values[mid] as number, values[right] as number);
    let i = left;
    let j = right;
    while (i <= j) {
      while (before(values[i] as number, pivot)) i += 1;
      while (before(pivot, values[j] as number)) j -= 1;
      if (i <= j) {
        const t = values[i] as number;
        values[i] = values[j] as number;
        values[j] = t;
        i += 1;
        j -= 1;
      }
    }
    if (k <= j) right = j;
    else if (k >= i) left = i;
    else break;
  }
  return values[k] as number;
}

function medianOfThree(a: number, b: number, c: number): number {
  if (before(a, b)) {
    if (before(b, c)) return b;
    return before(a, c) ? c : a;
  }
  if (before(a, c)) return a;
  return before(b, c) ? c : b;
}
