/** Overrides for a mixed-instances policy, or why the group's weights make them unsafe to apply. */
export type OverridePlan =
  | {
      readonly kind: 'ok';
      readonly overrides: readonly { readonly instanceType: string; readonly weightedCapacity?: number }[];
    }
  | { readonly kind: 'incompatible'; readonly reason: string };

const RATIO_TOLERANCE = 1e-9;

/**
 * Plans the overrides of a mixed-instances group so its capacity keeps its meaning. The group's
 * current weights must be proportional to capacity units (`weight = r × units`, one `r` for every
 * current type); new weights are `r × units`, whole numbers 1–999 as Auto Scaling requires. A group
 * without weights keeps none, which is only safe when every new weight would be 1 (all types the
 * same size as today's); otherwise applying would change what DesiredCapacity counts.
 */
export function planOverrides(input: {
  readonly current: readonly {
    readonly instanceType: string;
    readonly weightedCapacity?: number;
    readonly capacityUnits?: number;
  }[];
  readonly selected: readonly { readonly instanceType: string; readonly capacityUnits: number }[];
}): OverridePlan {
  const weighted = input.current.some((o) => o.weightedCapacity !== undefined);
  let ratio: number | undefined;
  for (const o of input.current) {
    if (o.capacityUnits === undefined) continue;
    const r = (o.weightedCapacity ?? 1) / o.capacityUnits;
    if (ratio === undefined) ratio = r;
    else if (Math.abs(r - ratio) > RATIO_TOLERANCE * Math.max(1, ratio)) {
      return {
        kind: 'incompatible',
        reason: weighted
          ? 'the group’s weights are not proportional to the configured capacity unit'
          : 'the group counts instances of different sizes; set weights before letting Prescale change its types',
      };
    }
  }
  if (ratio === undefined)
    return { kind: 'incompatible', reason: 'the size of the group’s current types is unknown' };
  const overrides = [];
  for (const s of input.selected) {
    const weight = s.capacityUnits * ratio;
    const rounded = Math.round(weight);
    if (Math.abs(weight - rounded) > 1e-6 || rounded < 1 || rounded > 999) {
      return {
        kind: 'incompatible',
        reason: `${s.instanceType} would need weight ${weight}; Auto Scaling accepts whole numbers 1–999`,
      };
    }
    if (!weighted && rounded !== 1) {
      return {
        kind: 'incompatible',
        reason: `the group counts instances and ${s.instanceType} is a different size from today’s types; applying would change what DesiredCapacity means`,
      };
    }
    overrides.push(
      weighted
        ? { instanceType: s.instanceType, weightedCapacity: rounded }
        : { instanceType: s.instanceType },
    );
  }
  return { kind: 'ok', overrides };
}
