/**
 * Instances needed per forecast step: ceil(load / target load per instance). A load of exactly a
 * multiple needs no extra instance; a tiny positive load still needs one.
 * @param loadPerStep load in the group's capacity unit, one value per step (finite, ≥ 0)
 * @param targetLoadPerInstance load one instance (or one weighted unit) should carry (> 0)
 * @throws RangeError on a non-positive target or a negative or non-finite load
 */
export function requiredCapacity(loadPerStep: readonly number[], targetLoadPerInstance: number): number[] {
  if (!(targetLoadPerInstance > 0) || !Number.isFinite(targetLoadPerInstance)) {
    throw new RangeError(`targetLoadPerInstance must be a positive number, got ${targetLoadPerInstance}`);
  }
  return loadPerStep.map((load, step) => {
    if (!Number.isFinite(load) || load < 0) {
      throw new RangeError(`load at step ${step} must be a finite number ≥ 0, got ${load}`);
    }
    // Guard against 2.0000000001 from float noise turning into one extra instance.
    return Math.max(0, Math.ceil(load / targetLoadPerInstance - 1e-9));
  });
}
