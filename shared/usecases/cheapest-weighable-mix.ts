import { buildMixModel } from '../core/pricing/build-mix-model';
import { greedyMix } from '../core/pricing/greedy-mix';
import {
  firstLaunched,
  inLaunchPriority,
  launchedHourlyCost,
  type OnDemandAllocationStrategy,
} from '../core/pricing/launch-priority';
import { type OverrideWeighting, overrideWeight } from '../core/pricing/plan-overrides';
import { readMixSolution } from '../core/pricing/read-mix-solution';
import type { Candidate, InstanceSelection } from '../core/pricing/types';
import type { MixSolver } from '../ports/mix-solver';
import {
  describeError,
  type GroupContext,
  SOLVER_TIME_LIMIT_SECONDS,
} from './instance-type-selection-context';

/** What a mix is chosen for: the candidates, the capacity units the peak needs, and where notes go. */
export interface MixSizing {
  readonly candidates: readonly Candidate[];
  readonly requiredUnits: number;
  readonly base: { readonly diagnostics: string[] };
}

/** The cheapest mix of `candidates`: the integer program, or the greedy mix when the solver fails. */
async function cheapestMix(
  solver: MixSolver,
  candidates: readonly Candidate[],
  requiredUnits: number,
  diversifyAcross: number,
  diagnostics: string[],
): Promise<{ selection: InstanceSelection; method: 'integer-program' | 'greedy-fallback' } | undefined> {
  const built = buildMixModel(candidates, { requiredCapacityUnits: requiredUnits, diversifyAcross });
  if (built.kind === 'infeasible') {
    diagnostics.push(built.reason);
    return undefined;
  }
  try {
    const choice = readMixSolution(
      built.model,
      await solver.solve(built.model.lp, { timeLimitSeconds: SOLVER_TIME_LIMIT_SECONDS }),
    );
    if (choice.kind === 'selected') {
      if (!choice.provedOptimal) diagnostics.push('solver stopped before proving optimality');
      return { selection: choice.selection, method: 'integer-program' };
    }
    diagnostics.push(`solver: ${choice.reason}`);
  } catch (error) {
    diagnostics.push(`solver unavailable: ${describeError(error)}`);
  }
  const fallback = greedyMix(candidates, requiredUnits, diversifyAcross);
  return fallback ? { selection: fallback, method: 'greedy-fallback' } : undefined;
}

/** A mix and what it costs at the peak as Auto Scaling launches it (its first type for all the requirement). */
export interface PricedMix {
  readonly selection: InstanceSelection;
  readonly method: 'integer-program' | 'greedy-fallback';
  readonly launchedCostUsd: number;
}

/**
 * `cheapestMix` of `candidates`, priced on the type a group with its types as overrides (in
 * `inLaunchPriority` order) launches first under `strategy`, at that type's discounted price.
 */
async function pricedMix(
  ctx: GroupContext,
  candidates: readonly Candidate[],
  requiredUnits: number,
  strategy: OnDemandAllocationStrategy,
  diagnostics: string[],
): Promise<PricedMix | undefined> {
  const { solver } = ctx.deps;
  const mix = await cheapestMix(
    solver,
    candidates,
    requiredUnits,
    ctx.config.pricing.diversifyAcross,
    diagnostics,
  );
  if (!mix) return undefined;
  const first = firstLaunched(inLaunchPriority(mix.selection.items), strategy);
  return {
    ...mix,
    launchedCostUsd: first ? launchedHourlyCost(first, requiredUnits) : mix.selection.hourlyCostUsd,
  };
}

/**
 * The cheapest mix of the candidates `weighting` can weigh (`overrideWeight`, the rule
 * `planOverrides` applies), so that it can be applied; and, when some cannot be weighed and a mix
 * with them costs less at the peak, that mix as `other` with the reason it cannot be applied.
 * Without a weighting, or when no candidate can be weighed, the mix of every candidate.
 */
export async function cheapestWeighableMix(
  ctx: GroupContext,
  sizing: MixSizing,
  strategy: OnDemandAllocationStrategy,
  weighting: OverrideWeighting,
): Promise<{ mix?: PricedMix; other?: PricedMix & { reason: string } }> {
  const { candidates, requiredUnits, base } = sizing;
  const solve = (cs: readonly Candidate[]) => pricedMix(ctx, cs, requiredUnits, strategy, base.diagnostics);
  const refusal = (c: { instanceType: string; capacityUnits: number }) => {
    const weight = weighting.kind === 'ok' ? overrideWeight(weighting, c) : undefined;
    return weight?.kind === 'incompatible' ? weight.reason : undefined;
  };
  const weighable = candidates.filter((c) => refusal(c) === undefined);
  if (weighable.length === 0 || weighable.length === candidates.length)
    return { mix: await solve(candidates) };
  const mix = await solve(weighable);
  const any = await solve(candidates);
  if (!mix) return { ...(any ? { mix: any } : {}) };
  const reason = any?.selection.items
    .map((i) => refusal({ instanceType: i.instanceType, capacityUnits: i.capacityUnitsPerInstance }))
    .find((r) => r !== undefined);
  // A hair below, so float noise in equal costs reports nothing.
  const cheaper = any && reason && any.launchedCostUsd < mix.launchedCostUsd - 1e-9;
  return { mix, ...(cheaper ? { other: { ...any, reason } } : {}) };
}
