/**
 * Solves A·x = b for a symmetric positive-definite p×p matrix A (row-major) by Cholesky
 * factorisation. Pivots that are not positive (a singular or indefinite A) are replaced by a tiny
 * positive value, so the result is always finite; callers add a ridge term to keep A well posed.
 */
export function solveSymmetric(a: Float64Array, b: Float64Array, p: number): Float64Array {
  const l = new Float64Array(p * p);
  for (let i = 0; i < p; i += 1) {
    for (let j = 0; j <= i; j += 1) {
      let sum = a[i * p + j] as number;
      for (let k = 0; k < j; k += 1) sum -= (l[i * p + k] as number) * (l[j * p + k] as number);
      if (i === j) {
        l[i * p + i] = Math.sqrt(Math.max(sum, 1e-300));
      } else {
        l[i * p + j] = sum / (l[j * p + j] as number);
      }
    }
  }
  const z = new Float64Array(p);
  for (let i = 0; i < p; i += 1) {
    let sum = b[i] as number;
    for (let k = 0; k < i; k += 1) sum -= (l[i * p + k] as number) * (z[k] as number);
    z[i] = sum / (l[i * p + i] as number);
  }
  const x = new Float64Array(p);
  for (let i = p - 1; i >= 0; i -= 1) {
    let sum = z[i] as number;
    for (let k = i + 1; k < p; k += 1) sum -= (l[k * p + i] as number) * (x[k] as number);
    x[i] = sum / (l[i * p + i] as number);
  }
  return x;
}
