/**
 * The perfect-foresight policy: the capacity to ask for at step `index` is the most demand in
 * [index, index + leadSteps], so an instance launched now (ready one lead time later) is there
 * for every step it is needed, and capacity is released as soon as no step within one lead time
 * needs it. With the same launch delay as everyone else, this is the physical limit.
 * @param demandPerStep instances needed per step.
 */
export function oracleCapacity(demandPerStep: readonly number[], index: number, leadSteps: number): number {
  let need = 0;
  const end = Math.min(demandPerStep.length - 1, index + leadSteps);
  for (let i = index; i <= end; i += 1) need = Math.max(need, demandPerStep[i] as number);
  return need;
}

/** Instances needed for `load`: ceil(load / targetLoadPerInstance), at least one (a group keeps one instance). */
export function demandInstances(load: number, targetLoadPerInstance: number): number {
  return Math.max(1, Math.ceil(load / targetLoadPerInstance - 1e-9));
}

/**
 * Instances needed per minute as a foresight of `foresightMinutes` resolution sees them: with 1,
 * each minute's own load; with 5, each whole 5-minute step's mean load (counted from the first
 * minute), which is all a perfect forecast of the product's 5-minute history could know, the
 * minutes inside a step being invisible to it. A trailing partial step averages what it has.
 * @throws RangeError unless `foresightMinutes` is a whole number ≥ 1.
 */
export function foresightDemand(
  loadPerMinute: readonly number[],
  targetLoadPerInstance: number,
  foresightMinutes: number,
): number[] {
  if (!(Number.isInteger(foresightMinutes) && foresightMinutes >= 1))
    throw new RangeError(`foresightMinutes: expected a whole number of minutes ≥ 1, got ${foresightMinutes}`);
  const demand: number[] = [];
  for (let start = 0; start < loadPerMinute.length; start += foresightMinutes) {
    const step = loadPerMinute.slice(start, start + foresightMinutes);
    const mean = step.reduce((a, b) => a + b, 0) / step.length;
    for (let k = 0; k < step.length; k += 1) demand.push(demandInstances(mean, targetLoadPerInstance));
  }
  return demand;
}
