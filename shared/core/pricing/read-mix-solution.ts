import { MAX_MIXED_INSTANCE_TYPES, type MixModel } from './build-mix-model';
import { summarizeSelection } from './summarize-selection';
import type { InstanceSelection } from './types';

/** What an integer-program solver reports, in solver-neutral words. */
export interface SolverOutcome {
  /** `optimal`: proved optimal. `feasible`: a solution, stopped early (time limit). */
  readonly status: 'optimal' | 'feasible' | 'infeasible' | 'failed';
  /** Variable values by name (absent variables are zero). */
  readonly values: Readonly<Record<string, number>>;
  /** The solver's own words, for diagnostics. */
  readonly detail?: string;
}

export type MixChoice =
  | { readonly kind: 'selected'; readonly selection: InstanceSelection; readonly provedOptimal: boolean }
  | { readonly kind: 'infeasible'; readonly reason: string }
  | { readonly kind: 'invalid-solution'; readonly reason: string };

const INTEGRALITY_TOLERANCE = 1e-6;

/**
 * Reads a solver's answer to `buildMixModel` back into instance counts and checks it against the
 * model (integral counts, share caps, capacity, distinct types, at most
 * `MAX_MIXED_INSTANCE_TYPES` of them), so a solver bug can never turn into an under-provisioned
 * group or a policy Auto Scaling refuses.
 */
export function readMixSolution(model: MixModel, outcome: SolverOutcome): MixChoice {
  if (outcome.status === 'infeasible') {
    return {
      kind: 'infeasible',
      reason: `the mix model has no solution${outcome.detail ? ` (${outcome.detail})` : ''}`,
    };
  }
  if (outcome.status === 'failed') {
    return {
      kind: 'invalid-solution',
      reason: `the solver failed${outcome.detail ? `: ${outcome.detail}` : ''}`,
    };
  }
  const counts = [];
  for (const column of model.columns) {
    const raw = outcome.values[column.countVariable] ?? 0;
    const count = Math.round(raw);
    if (!Number.isFinite(raw) || Math.abs(raw - count) > INTEGRALITY_TOLERANCE || count < 0) {
      return {
        kind: 'invalid-solution',
        reason: `${column.countVariable} = ${raw} is not a whole number ≥ 0`,
      };
    }
    if (count > column.maxInstances) {
      return {
        kind: 'invalid-solution',
        reason: `${column.candidate.instanceType}: ${count} instances exceed the share cap of ${column.maxInstances}`,
      };
    }
    counts.push({ candidate: column.candidate, instanceCount: count });
  }
  const selection = summarizeSelection(counts);
  if (selection.totalCapacityUnits + 1e-9 < model.requiredCapacityUnits) {
    return {
      kind: 'invalid-solution',
      reason: `capacity ${selection.totalCapacityUnits} is below the required ${model.requiredCapacityUnits}`,
    };
  }
  if (selection.items.length > MAX_MIXED_INSTANCE_TYPES) {
    return {
      kind: 'invalid-solution',
      reason: `${selection.items.length} types used; a mixed-instances policy takes at most ${MAX_MIXED_INSTANCE_TYPES} overrides`,
    };
  }
  if (selection.items.length < model.minTypes) {
    return {
      kind: 'invalid-solution',
      reason: `${selection.items.length} types used, ${model.minTypes} required`,
    };
  }
  return { kind: 'selected', selection, provedOptimal: outcome.status === 'optimal' };
}
