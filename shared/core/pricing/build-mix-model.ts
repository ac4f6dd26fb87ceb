import { compareText } from './filter-candidates';
import type { Candidate } from './types';

/** What a mix must provide. */
export interface MixRequest {
  /** Capacity at the forecast peak, in the configured capacity unit (≥ 0). */
  readonly requiredCapacityUnits: number;
  /** Wanted number of distinct types, each with at least one instance (≥ 1). */
  readonly diversifyAcross: number;
}

/** One candidate's variables in the model. */
export interface MixColumn {
  readonly candidate: Candidate;
  /** Integer variable: instances of this type. */
  readonly countVariable: string;
  /** Binary variable: 1 when the type is used. */
  readonly useVariable: string;
  /** Share cap: the most instances of this type the mix may hold. */
  readonly maxInstances: number;
}

/** An integer program in CPLEX LP text, with what is needed to read its solution back. */
export interface MixModel {
  readonly lp: string;
  readonly columns: readonly MixColumn[];
  readonly requiredCapacityUnits: number;
  /** Distinct types the model requires: `min(diversifyAcross, candidates)`. */
  readonly minTypes: number;
  /** Candidates left out before modelling because they cannot be in an optimal mix. */
  readonly prunedCount: number;
}

export type MixModelResult =
  | { readonly kind: 'model'; readonly model: MixModel }
  | { readonly kind: 'infeasible'; readonly reason: string };

/** Most instances of a type of `capacityUnits` in a mix over `minTypes` types: its share rounded up, plus one. */
export function maxInstancesPerType(
  requiredCapacityUnits: number,
  minTypes: number,
  capacityUnits: number,
): number {
  return Math.max(0, Math.ceil(requiredCapacityUnits / (minTypes * capacityUnits) - 1e-9)) + 1;
}

/**
 * Keeps, for each capacity size, the `keepPerSize` cheapest candidates (ties by name). With
 * `keepPerSize = minTypes + 1` this loses no optimal mix: two types of one size have the same share
 * cap, so an optimal mix uses the cheapest ones of each size first, and one that used `minTypes + 2`
 * of a size could move the priciest one's instances to the others or drop them (see docs/pricing.md).
 */
export function pruneCandidates(candidates: readonly Candidate[], keepPerSize: number): Candidate[] {
  const bySize = new Map<number, Candidate[]>();
  for (const c of candidates) {
    const list = bySize.get(c.capacityUnits) ?? [];
    list.push(c);
    bySize.set(c.capacityUnits, list);
  }
  const kept: Candidate[] = [];
  for (const list of bySize.values()) {
    list.sort((a, b) => a.hourlyPriceUsd - b.hourlyPriceUsd || compareText(a.instanceType, b.instanceType));
    kept.push(...list.slice(0, keepPerSize));
  }
  return kept.sort((a, b) => compareText(a.instanceType, b.instanceType));
}

/**
 * The most instance types a mixed-instances policy takes: "The maximum number of instance types
 * that can be associated with an Auto Scaling group is 40" (Auto Scaling API reference,
 * LaunchTemplateOverrides). Prescale writes one override per selected type.
 */
export const MAX_MIXED_INSTANCE_TYPES = 40;

/** USD per hour charged per type used, so equal-cost mixes resolve to the one with fewer overrides. */
export const TYPE_TIE_BREAK_USD = 0.000001;

/** Plain decimal text for LP files (no exponent, no trailing zeros). */
export function lpNumber(value: number): string {
  if (Number.isInteger(value)) return String(value);
  return value.toFixed(12).replace(/0+$/, '').replace(/\.$/, '');
}

/**
 * Builds the integer program for a mixed-instances group: minimize the hourly cost of instance
 * counts `x_i` such that capacity reaches the requirement, at least `minTypes` types have an
 * instance (binary `y_i`, linked by `x_i ≥ y_i` and `x_i ≤ M_i y_i`), no type holds more than
 * its share cap `M_i`, and at most `MAX_MIXED_INSTANCE_TYPES` types are used (stated only when
 * there are more candidates; `diversifyAcross` ≤ 20 keeps it feasible). Pure and deterministic: the same candidates (in any order) give the same text.
 */
export function buildMixModel(
  candidates: readonly Candidate[],
  request: MixRequest,
  options: { readonly prune?: boolean } = {},
): MixModelResult {
  const rejection = checkRequest(request);
  if (rejection !== undefined) return { kind: 'infeasible', reason: rejection };
  const { requiredCapacityUnits, diversifyAcross } = request;
  const unique = [...new Map(candidates.map((c) => [c.instanceType, c])).values()].filter(
    (c) => c.capacityUnits > 0 && c.hourlyPriceUsd > 0,
  );
  if (unique.length === 0) return { kind: 'infeasible', reason: 'no instance type meets the requirements' };
  const minTypes = Math.min(diversifyAcross, unique.length);
  const kept =
    options.prune === false
      ? [...unique].sort((a, b) => compareText(a.instanceType, b.instanceType))
      : pruneCandidates(unique, minTypes + 1);
  const columns: MixColumn[] = kept.map((candidate, i) => ({
    candidate,
    countVariable: `x${i}`,
    useVariable: `y${i}`,
    maxInstances: maxInstancesPerType(requiredCapacityUnits, minTypes, candidate.capacityUnits),
  }));
  return {
    kind: 'model',
    model: {
      lp: mixLp(columns, requiredCapacityUnits, minTypes),
      columns,
      requiredCapacityUnits,
      minTypes,
      prunedCount: unique.length - kept.length,
    },
  };
}

/** Why the request cannot be modelled, or undefined when it can. */
function checkRequest({ requiredCapacityUnits, diversifyAcross }: MixRequest): string | undefined {
  if (!(requiredCapacityUnits >= 0) || !Number.isFinite(requiredCapacityUnits))
    return `required capacity must be a finite number ≥ 0, got ${requiredCapacityUnits}`;
  if (!Number.isInteger(diversifyAcross) || diversifyAcross < 1)
    return `diversifyAcross must be a whole number ≥ 1, got ${diversifyAcross}`;
  return undefined;
}

/** The model's CPLEX LP text: cost objective, capacity and diversity rows, per-type links and caps. */
function mixLp(columns: readonly MixColumn[], requiredCapacityUnits: number, minTypes: number): string {
  const lines: string[] = [
    '\\ Prescale instance mix: minimize USD per hour at the forecast peak',
    'Minimize',
  ];
  lines.push(
    ...terms(' cost:', [
      ...columns.map((c): [number, string] => [c.candidate.hourlyPriceUsd, c.countVariable]),
      // A tie-breaker far below any real price difference: among equal-cost mixes, fewer types.
      ...columns.map((c): [number, string] => [TYPE_TIE_BREAK_USD, c.useVariable]),
    ]),
  );
  lines.push('Subject To');
  lines.push(
    ...terms(
      ' capacity:',
      columns.map((c) => [c.candidate.capacityUnits, c.countVariable]),
    ),
  );
  lines.push(`  >= ${lpNumber(requiredCapacityUnits)}`);
  lines.push(
    ...terms(
      ' diversity:',
      columns.map((c) => [1, c.useVariable]),
    ),
  );
  lines.push(`  >= ${minTypes}`);
  // Only a model with more candidates than overrides can break the limit; others keep their text.
  if (columns.length > MAX_MIXED_INSTANCE_TYPES) {
    lines.push(
      ...terms(
        ' types:',
        columns.map((c) => [1, c.useVariable]),
      ),
    );
    lines.push(`  <= ${MAX_MIXED_INSTANCE_TYPES}`);
  }
  for (const c of columns) {
    lines.push(` use_${c.countVariable}: ${c.countVariable} - ${c.useVariable} >= 0`);
    lines.push(` cap_${c.countVariable}: ${c.countVariable} - ${c.maxInstances} ${c.useVariable} <= 0`);
  }
  lines.push('Bounds');
  for (const c of columns) lines.push(` 0 <= ${c.countVariable} <= ${c.maxInstances}`);
  lines.push('Generals');
  lines.push(...wrap(columns.map((c) => c.countVariable)));
  lines.push('Binaries');
  lines.push(...wrap(columns.map((c) => c.useVariable)));
  lines.push('End', '');
  return lines.join('\n');
}

/** A linear expression, one term per line (LP readers limit line length; indented lines continue). */
function terms(label: string, coefficients: readonly (readonly [number, string])[]): string[] {
  return coefficients.map(([coefficient, variable], i) => {
    const term = `${lpNumber(coefficient)} ${variable}`;
    return i === 0 ? `${label} ${term}` : `  + ${term}`;
  });
}

function wrap(names: readonly string[]): string[] {
  const lines: string[] = [];
  for (let i = 0; i < names.length; i += 20) lines.push(` ${names.slice(i, i + 20).join(' ')}`);
  return lines;
}
