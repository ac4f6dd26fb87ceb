import { type OnDemandQuotaClass, onDemandQuotaClass } from './on-demand-quota-class';
import type { AcceleratorFacts, AcceleratorKind, InstanceTypeFacts, RejectionReason } from './types';

/** An accelerator model the group's current types carry, and the least of it they give. */
export interface AcceleratorNeed {
  readonly kind: AcceleratorKind;
  readonly manufacturer?: string;
  readonly name: string;
  /** The least devices per capacity unit among the current types that carry it (0 when no size is known). */
  readonly minCountPerUnit: number;
}

/**
 * What the group's current types give that its software may rely on, so a replacement must give it
 * too: the least memory per vCPU of them, their accelerator models, and instance storage when one
 * of them has it. Nothing from a type whose facts are unknown.
 */
export interface CurrentTypeNeeds {
  /** GiB per vCPU; absent when no current type's memory is known. */
  readonly minMemoryGiBPerVcpu?: number;
  readonly accelerators: readonly AcceleratorNeed[];
  readonly instanceStorage: boolean;
  /**
   * The On-Demand vCPU quota classes of the current types (`onDemandQuotaClass`): the quotas the
   * account is known to launch under. Absent when there is no current type, or one of no known class.
   */
  readonly onDemandQuotaClasses?: ReadonlySet<OnDemandQuotaClass>;
}

/** Relative slack in ratio comparisons, so equal ratios computed two ways never reject. */
const RATIO_TOLERANCE = 1e-9;

const REASON_BY_KIND: Readonly<Record<AcceleratorKind, RejectionReason>> = {
  gpu: 'missing-gpu',
  'inference-accelerator': 'missing-inference-accelerator',
  'neuron-device': 'missing-neuron-device',
  fpga: 'missing-fpga',
};

const modelKey = (a: Pick<AcceleratorFacts, 'kind' | 'manufacturer' | 'name'>): string =>
  `${a.kind}\u0000${(a.manufacturer ?? '').toLowerCase()}\u0000${a.name.toLowerCase()}`;

/**
 * The needs of a group whose current types are `current`; `unitsOf` gives one instance's capacity
 * units (undefined when unknown), the scale of "accelerators per capacity unit".
 */
export function currentTypeNeeds(
  current: readonly InstanceTypeFacts[],
  unitsOf: (facts: InstanceTypeFacts) => number | undefined,
): CurrentTypeNeeds {
  let minMemoryGiBPerVcpu: number | undefined;
  const accelerators = new Map<string, AcceleratorNeed>();
  for (const f of current) {
    if (f.memoryGiB > 0 && f.vcpuCount > 0) {
      const perVcpu = f.memoryGiB / f.vcpuCount;
      minMemoryGiBPerVcpu = Math.min(minMemoryGiBPerVcpu ?? perVcpu, perVcpu);
    }
    const units = unitsOf(f);
    for (const a of f.accelerators ?? []) {
      const perUnit = units !== undefined && units > 0 ? a.count / units : 0;
      const key = modelKey(a);
      const known = accelerators.get(key);
      accelerators.set(key, {
        kind: a.kind,
        ...(a.manufacturer !== undefined ? { manufacturer: a.manufacturer } : {}),
        name: a.name,
        minCountPerUnit: Math.min(known?.minCountPerUnit ?? perUnit, perUnit),
      });
    }
  }
  const quotaClasses = current.map((f) => onDemandQuotaClass(f.family));
  const knownClasses = quotaClasses.filter((c): c is OnDemandQuotaClass => c !== undefined);
  return {
    ...(minMemoryGiBPerVcpu !== undefined ? { minMemoryGiBPerVcpu } : {}),
    accelerators: [...accelerators.values()],
    instanceStorage: current.some((f) => f.instanceStorageSupported === true),
    ...(knownClasses.length > 0 && knownClasses.length === quotaClasses.length
      ? { onDemandQuotaClasses: new Set(knownClasses) }
      : {}),
  };
}

/**
 * The first need of the group that a candidate of `units` capacity units per instance does not
 * meet, or undefined. For each accelerator kind the current types carry, the candidate must carry
 * one of their models of that kind with at least as many devices per capacity unit as the least of
 * the current types with it. Instance storage must be known to be there. The candidate's family
 * must be of an On-Demand vCPU quota class a current type is of.
 */
export function unmetNeed(
  f: InstanceTypeFacts,
  units: number,
  needs: CurrentTypeNeeds,
): RejectionReason | undefined {
  const min = needs.minMemoryGiBPerVcpu;
  if (min !== undefined && f.memoryGiB / f.vcpuCount < min * (1 - RATIO_TOLERANCE))
    return 'less-memory-per-vcpu';
  const carried = new Map((f.accelerators ?? []).map((a) => [modelKey(a), a.count / units]));
  for (const kind of new Set(needs.accelerators.map((a) => a.kind))) {
    const ofKind = needs.accelerators.filter((a) => a.kind === kind);
    const met = ofKind.some((a) => {
      const perUnit = carried.get(modelKey(a));
      return perUnit !== undefined && perUnit >= a.minCountPerUnit * (1 - RATIO_TOLERANCE);
    });
    if (!met) return REASON_BY_KIND[kind];
  }
  if (needs.instanceStorage && f.instanceStorageSupported !== true) return 'missing-instance-storage';
  const quotaClass = onDemandQuotaClass(f.family);
  if (needs.onDemandQuotaClasses && !(quotaClass && needs.onDemandQuotaClasses.has(quotaClass)))
    return 'other-on-demand-quota';
  return undefined;
}
