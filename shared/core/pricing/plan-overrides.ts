/** Overrides for a mixed-instances policy, or why the group's weights make them unsafe to apply. */
export type OverridePlan =
  | {
      readonly kind: 'ok';
      readonly overrides: readonly { readonly instanceType: string; readonly weightedCapacity?: number }[];
    }
  | { readonly kind: 'incompatible'; readonly reason: string };

/**
 * How a mixed group's weights relate to capacity units: every type weighs `ratio × units`
 * (`weighted`: the group sets weights; otherwise each counts 1), or why they do not.
 */
export type OverrideWeighting =
  | { readonly kind: 'ok'; readonly ratio: number; readonly weighted: boolean }
  | { readonly kind: 'incompatible'; readonly reason: string };

/** A group's current override: its weight, if it sets one, and its size in capacity units, if known. */
export interface CurrentOverride {
  readonly instanceType: string;
  readonly weightedCapacity?: number;
  readonly capacityUnits?: number;
}

const RATIO_TOLERANCE = 1e-9;

/**
 * The weighting of a group's `current` overrides: their weights (1 without) must be proportional
 * to capacity units, one `ratio` for every type of known size; incompatible when they are not or
 * when no size is known.
 */
export function overrideWeighting(current: readonly CurrentOverride[]): OverrideWeighting {
  const weighted = current.some((o) => o.weightedCapacity !== undefined);
  let ratio: number | undefined;
  for (const o of current) {
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
  return { kind: 'ok', ratio, weighted };
}

/**
 * The weight a type of `capacityUnits` gets in a group weighted as `weighting`: `ratio × units`,
 * a whole number 1–999 as Auto Scaling requires, and 1 in a group without weights (a type of
 * another size would change what its DesiredCapacity counts); or why it can get none.
 */
export function overrideWeight(
  weighting: { readonly ratio: number; readonly weighted: boolean },
  type: { readonly instanceType: string; readonly capacityUnits: number },
):
  | { readonly kind: 'ok'; readonly weight: number }
  | { readonly kind: 'incompatible'; readonly reason: string } {
  const weight = type.capacityUnits * weighting.ratio;
  const rounded = Math.round(weight);
  if (Math.abs(weight - rounded) > 1e-6 || rounded < 1 || rounded > 999)
    return {
      kind: 'incompatible',
      reason: `${type.instanceType} would need weight ${weight}; Auto Scaling accepts whole numbers 1–999`,
    };
  if (!weighting.weighted && rounded !== 1)
    return {
      kind: 'incompatible',
      reason: `the group counts instances and ${type.instanceType} is a different size from today’s types; applying would change what DesiredCapacity means`,
    };
  return { kind: 'ok', weight: rounded };
}

/**
 * Plans the overrides of a mixed-instances group so its capacity keeps its meaning. The group's
 * current weights must be proportional to capacity units (`overrideWeighting`); every selected
 * type must get a weight (`overrideWeight`). A group without weights keeps none, which is only
 * safe when every new weight would be 1 (all types the same size as today's); otherwise applying
 * would change what DesiredCapacity counts.
 */
export function planOverrides(input: {
  readonly current: readonly CurrentOverride[];
  readonly selected: readonly { readonly instanceType: string; readonly capacityUnits: number }[];
}): OverridePlan {
  const weighting = overrideWeighting(input.current);
  if (weighting.kind === 'incompatible') return weighting;
  const overrides = [];
  for (const s of input.selected) {
    const weight = overrideWeight(weighting, s);
    if (weight.kind === 'incompatible') return weight;
    overrides.push(
      weighting.weighted
        ? { instanceType: s.instanceType, weightedCapacity: weight.weight }
        : { instanceType: s.instanceType },
    );
  }
  return { kind: 'ok', overrides };
}
