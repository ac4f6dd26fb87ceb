/**
 * Converts a capacity in the group's own unit (instances, or the weights of its overrides) into the
 * configured capacity unit. For a group whose types differ in size, every instance must carry the
 * group's per-instance load, so the smallest type sets the rate: `units = groupCapacity × min_i
 * (unitsPerInstance_i / groupWeight_i)`. Returns undefined when no current type has a known size.
 * @param groupCapacity capacity in the group's unit (≥ 0)
 * @param currentTypes the types the group launches, with their override weight (1 when unweighted)
 *   and their size in the configured unit (undefined when unknown)
 */
export function requiredCapacityUnits(
  groupCapacity: number,
  currentTypes: readonly { readonly groupWeight: number; readonly capacityUnits: number | undefined }[],
): number | undefined {
  let rate: number | undefined;
  for (const t of currentTypes) {
    if (t.capacityUnits === undefined || !(t.groupWeight > 0)) continue;
    const r = t.capacityUnits / t.groupWeight;
    rate = rate === undefined ? r : Math.min(rate, r);
  }
  if (rate === undefined) return undefined;
  return Math.max(0, groupCapacity) * rate;
}
