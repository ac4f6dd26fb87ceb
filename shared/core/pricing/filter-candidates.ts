import { type CurrentTypeNeeds, currentTypeNeeds, unmetNeed } from './current-type-needs';
import { launchIncompatibility } from './launch-compatibility';
import type {
  Candidate,
  CpuArchitecture,
  InstanceTypeFacts,
  LaunchRequirements,
  RejectionReason,
  SelectionRequirements,
} from './types';

/** Everything a type is checked against. */
export interface CandidateInput {
  readonly facts: readonly InstanceTypeFacts[];
  /** Undiscounted on-demand USD per instance-hour by type. */
  readonly onDemandHourlyUsd: Readonly<Record<string, number>>;
  /** Types offered in every availability zone of the group. */
  readonly offeredInEveryZone: ReadonlySet<string>;
  /** The AMI's architecture. */
  readonly architecture: CpuArchitecture;
  /** What the launch template and its image ask of a type besides its architecture; absent: nothing known. */
  readonly launchRequirements?: LaunchRequirements;
  readonly requirements: SelectionRequirements;
  /** Highest Spot USD per hour over the group's zones, by type (absent: not asked or not known everywhere). */
  readonly spotHourlyUsd?: Readonly<Record<string, number>>;
  /**
   * The facts of the group's current types: a candidate must give what they give (`unmetNeed`:
   * memory per vCPU, accelerators, instance storage). Absent: nothing is asked.
   */
  readonly currentTypes?: readonly InstanceTypeFacts[];
}

/** The candidates (sorted by type) and how many types each rule rejected. */
export interface CandidateSet {
  readonly candidates: readonly Candidate[];
  readonly rejected: Readonly<Partial<Record<RejectionReason, number>>>;
}

/** True when `family` matches a family name or a `prefix*` pattern in `patterns`. */
export function familyMatches(family: string, patterns: readonly string[]): boolean {
  return patterns.some((p) => (p.endsWith('*') ? family.startsWith(p.slice(0, -1)) : family === p));
}

/** Capacity units of one instance of a type, or undefined when the unit cannot be measured for it. */
export function capacityUnitsOf(
  facts: Pick<InstanceTypeFacts, 'instanceType' | 'vcpuCount'>,
  requirements: Pick<SelectionRequirements, 'capacityUnit' | 'weights'>,
): number | undefined {
  const units =
    requirements.capacityUnit === 'vcpu' ? facts.vcpuCount : requirements.weights[facts.instanceType];
  return units !== undefined && Number.isFinite(units) && units > 0 ? units : undefined;
}

/** On-demand price after the family's discount rate (0–1), USD per hour. */
export function discountedHourlyPriceUsd(
  onDemandHourlyPriceUsd: number,
  family: string,
  discountRatesByFamily: Readonly<Record<string, number>>,
): number {
  const rate = discountRatesByFamily[family] ?? 0;
  return onDemandHourlyPriceUsd * (1 - Math.min(Math.max(rate, 0), 0.99));
}

function rejectionOf(
  f: InstanceTypeFacts,
  input: CandidateInput,
  needs: CurrentTypeNeeds,
): { reason: RejectionReason } | { units: number; price: number } {
  const r = input.requirements;
  const price = input.onDemandHourlyUsd[f.instanceType];
  if (price === undefined || !Number.isFinite(price) || price <= 0) return { reason: 'no-price' };
  if (!input.offeredInEveryZone.has(f.instanceType)) return { reason: 'not-offered-in-every-zone' };
  if (!f.architectures.includes(input.architecture)) return { reason: 'architecture' };
  if (launchIncompatibility(f, input.launchRequirements)) return { reason: 'launch-template-incompatible' };
  if (r.currentGenerationOnly && !f.currentGeneration) return { reason: 'previous-generation' };
  if (!r.allowBurstable && f.burstable) return { reason: 'burstable' };
  if (r.allowedFamilies.length > 0 && !familyMatches(f.family, r.allowedFamilies)) {
    return { reason: 'family-not-allowed' };
  }
  if (familyMatches(f.family, r.excludedFamilies)) return { reason: 'family-excluded' };
  if (f.vcpuCount < r.minVcpu) return { reason: 'below-min-vcpu' };
  if (f.memoryGiB < r.minMemoryGiB) return { reason: 'below-min-memory' };
  const units = capacityUnitsOf(f, r);
  if (units === undefined) return { reason: 'no-weight' };
  const unmet = unmetNeed(f, units, needs);
  if (unmet) return { reason: unmet };
  return { units, price };
}

/**
 * Keeps the instance types a group may use: priced, offered in every zone of the group, built for
 * the AMI's architecture, launchable from its template and image (ENA, NVMe, boot mode,
 * virtualization, EBS optimization), meeting the user's requirements, and giving what the group's
 * current types give (memory per vCPU, accelerators, instance storage, On-Demand quota class).
 * Deterministic: the output does not depend on the order of `facts`.
 */
export function filterCandidates(input: CandidateInput): CandidateSet {
  const rejected: Partial<Record<RejectionReason, number>> = {};
  const byType = new Map<string, Candidate>();
  const needs = currentTypeNeeds(input.currentTypes ?? [], (f) => capacityUnitsOf(f, input.requirements));
  for (const f of input.facts) {
    if (byType.has(f.instanceType)) continue;
    const verdict = rejectionOf(f, input, needs);
    if ('reason' in verdict) {
      rejected[verdict.reason] = (rejected[verdict.reason] ?? 0) + 1;
      continue;
    }
    const spot = input.spotHourlyUsd?.[f.instanceType];
    byType.set(f.instanceType, {
      instanceType: f.instanceType,
      family: f.family,
      capacityUnits: verdict.units,
      hourlyPriceUsd: discountedHourlyPriceUsd(
        verdict.price,
        f.family,
        input.requirements.discountRatesByFamily,
      ),
      onDemandHourlyPriceUsd: verdict.price,
      ...(spot !== undefined && spot > 0 ? { spotHourlyPriceUsd: spot } : {}),
    });
  }
  const candidates = [...byType.values()].sort((a, b) => compareText(a.instanceType, b.instanceType));
  return { candidates, rejected };
}

/** Locale-independent string order, so results are the same on every machine. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
